import type { AssetInfo } from '../../../preload/contract/channels';
import { RendererError } from './renderer-error';

export interface UploadRequest {
  /** The content hash computed here; the host must name the asset the same. */
  hash: string;
  kind: AssetInfo['kind'];
  bytes: Uint8Array<ArrayBuffer>;
  name?: string;
  /** Size the renderer read from the header / painted: the host must agree. */
  width: number;
  height: number;
}

export interface UploadFailure {
  hash: string;
  kind: AssetInfo['kind'];
  name?: string;
  error: RendererError;
}

export interface UploadQueueOptions {
  /** Store the bytes on the host (putAsset); throws on failure. */
  put(request: { kind: AssetInfo['kind']; bytes: Uint8Array<ArrayBuffer>; name?: string }): Promise<AssetInfo>;
  /** The host refused the bytes for good (corrupt, truncated, wrong size): not retried. */
  onFailed?(failure: UploadFailure): void;
  /** When to start sending (default: when the UI thread is idle, so the first frame is not delayed). */
  defer?(start: () => void): void;
}

type State = 'waiting' | 'sending' | 'stalled' | 'failed';

interface Entry {
  request: UploadRequest;
  state: State;
  attempt: Promise<void> | null;
  error: RendererError | null;
}

/**
 * Assets the renderer already uses but the host does not have yet, by content hash. Uploads run in
 * the background; anything that needs the host to have an asset (erase, save, autosave, export)
 * awaits whenStored() first. A lost connection ('io') keeps the bytes and retries on demand or on
 * retry(); any other refusal is final and reported once through onFailed.
 */
export class UploadQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: UploadQueueOptions) {}

  /**
   * Queue bytes for the host. They go when the UI is idle after `after` settled (e.g. the local
   * decode: on a small machine the host decoding the same file at the same time would slow down the
   * first paint), or at once when someone waits for them.
   */
  add(request: UploadRequest, after: Promise<unknown> = Promise.resolve()): void {
    const existing = this.entries.get(request.hash);
    if (existing && existing.state !== 'failed') return; // same bytes already on their way
    const entry: Entry = { request, state: 'waiting', attempt: null, error: null };
    this.entries.set(request.hash, entry);
    this.emit();
    const start = () => {
      if (entry.state === 'waiting' && this.entries.get(request.hash) === entry) void this.send(entry).catch(() => {});
    };
    void after.then(
      () => (this.options.defer ?? deferToIdle)(start),
      () => (this.options.defer ?? deferToIdle)(start),
    );
  }

  /** Not yet stored on the host (waiting, sending, or waiting for the connection). */
  has(hash: string): boolean {
    const e = this.entries.get(hash);
    return !!e && e.state !== 'failed';
  }

  /**
   * Resolves when every given hash (default: every pending upload) is stored on the host; hashes
   * this queue does not know are there already. Rejects with the host's reason if one failed.
   */
  async whenStored(hashes?: Iterable<string | null | undefined>): Promise<void> {
    const entries: Entry[] = [];
    if (hashes) {
      for (const h of new Set(hashes)) {
        const e = h ? this.entries.get(h) : undefined;
        if (e) entries.push(e);
      }
    } else {
      for (const e of this.entries.values()) if (e.state !== 'failed') entries.push(e);
    }
    await Promise.all(entries.map((e) => this.settle(e)));
  }

  /** The host's reason if it refused these bytes for good. */
  failure(hash: string): RendererError | null {
    const e = this.entries.get(hash);
    return e?.state === 'failed' ? e.error : null;
  }

  /** Send again what waits for the connection (call when it is back). */
  retry(): void {
    for (const e of this.entries.values()) if (e.state === 'stalled') void this.send(e).catch(() => {});
  }

  /** Uploads not yet stored, and their size: for "Sending… 36 MB". */
  stats(): { count: number; bytes: number } {
    let count = 0;
    let bytes = 0;
    for (const e of this.entries.values()) {
      if (e.state === 'failed') continue;
      count++;
      bytes += e.request.bytes.byteLength;
    }
    return { count, bytes };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private settle(e: Entry): Promise<void> {
    switch (e.state) {
      case 'sending':
        return e.attempt ?? this.send(e);
      case 'failed':
        return Promise.reject(e.error ?? new RendererError('internal', 'The upload failed'));
      default:
        return this.send(e); // waiting: start now; stalled: try again now
    }
  }

  private send(entry: Entry): Promise<void> {
    if (entry.state === 'sending' && entry.attempt) return entry.attempt;
    const { request } = entry;
    entry.state = 'sending';
    entry.error = null;
    const attempt = (async () => {
      let info: AssetInfo;
      try {
        info = await this.options.put({ kind: request.kind, bytes: request.bytes, ...(request.name === undefined ? {} : { name: request.name }) });
        checkStored(request, info);
      } catch (err) {
        const error = RendererError.from(err);
        entry.attempt = null;
        entry.error = error;
        if (error.code === 'io') {
          entry.state = 'stalled';
        } else {
          entry.state = 'failed';
          entry.request = { ...request, bytes: new Uint8Array(0) }; // nothing will send them again
          this.options.onFailed?.({ hash: request.hash, kind: request.kind, ...(request.name === undefined ? {} : { name: request.name }), error });
        }
        this.emit();
        throw error;
      }
      entry.attempt = null;
      if (this.entries.get(request.hash) === entry) this.entries.delete(request.hash);
      this.emit();
    })();
    entry.attempt = attempt;
    this.emit();
    return attempt;
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** The host must have stored exactly what we named and showed. */
function checkStored(request: UploadRequest, info: AssetInfo): void {
  if (info.hash !== request.hash) {
    throw new RendererError('internal', `The host stored the ${request.kind} as ${info.hash.slice(0, 12)}…, but its content hash here is ${request.hash.slice(0, 12)}…`);
  }
  if (info.width !== request.width || info.height !== request.height) {
    throw new RendererError(
      'bad-image',
      `The ${request.kind} is ${info.width}×${info.height} px when decoded on the host, but ${request.width}×${request.height} px here; it cannot be used`,
    );
  }
}

function deferToIdle(start: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => start(), { timeout: 1000 });
  else setTimeout(start, 0);
}
