import { RendererError } from '../assets/renderer-error';
import { runMaskOpAsync, type MaskOp, type MaskRequest, type MaskResponse, type MaskResult } from './mask-ops';
import type { MaskCrop } from './compose-regions';
import type { DecodedMask, EncodeOptions } from './png-gray';

/** The part of a Worker the client uses (tests inject an in-process fake). */
export interface WorkerLike {
  postMessage(message: MaskRequest, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<MaskResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface MaskWorkerClientOptions {
  /** Make the worker; null/undefined result = run synchronously on this thread. Default: the real mask worker when `Worker` exists. */
  createWorker?: () => WorkerLike | null;
}

/**
 * Promise API over the mask worker. Inputs are copied before they are transferred, so the caller's
 * arrays (often a cached, shared mask) stay intact; results are transferred back, never copied.
 * Without Worker support (node tests) the same operations run synchronously.
 */
export interface MaskWorkerClient {
  grow(mask: Uint8Array, width: number, height: number, radius: number): Promise<Uint8Array<ArrayBuffer>>;
  shrink(mask: Uint8Array, width: number, height: number, radius: number): Promise<Uint8Array<ArrayBuffer>>;
  feather(mask: Uint8Array, width: number, height: number, radius: number): Promise<Uint8Array<ArrayBuffer>>;
  invert(mask: Uint8Array, width: number, height: number): Promise<Uint8Array<ArrayBuffer>>;
  /** `base` (or an empty mask) with every crop maxed in (composeCrops); neither input is modified. */
  compose(base: Uint8Array | null, width: number, height: number, crops: readonly MaskCrop[]): Promise<Uint8Array<ArrayBuffer>>;
  encodePng(mask: Uint8Array, width: number, height: number, level?: EncodeOptions['level']): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Encode without copying: `mask` is moved to the worker (unusable until this resolves) and comes
   * back as `mask`. For big masks the caller owns and keeps (a copy costs more than the encode on
   * some machines).
   */
  encodePngTransfer(mask: Uint8Array<ArrayBuffer>, width: number, height: number): Promise<{ png: Uint8Array<ArrayBuffer>; mask: Uint8Array<ArrayBuffer> }>;
  /** Decode a PNG to its first channel (8/16-bit, non-interlaced); rejects 'unsupported' otherwise. */
  decodePng(png: Uint8Array): Promise<DecodedMask>;
  /** True while operations go to a worker thread (false = synchronous fallback). */
  readonly usesWorker: boolean;
  dispose(): void;
}

export function defaultCreateWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  // Vite recognises this exact form and bundles mask-worker.ts as a separate module worker.
  return new Worker(new URL('./mask-worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

export function createMaskWorkerClient(options: MaskWorkerClientOptions = {}): MaskWorkerClient {
  const create = options.createWorker ?? defaultCreateWorker;
  let worker: WorkerLike | null | undefined; // undefined = not created yet
  let fallback = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: MaskResult) => void; reject: (e: RendererError) => void }>();

  function failAll(error: RendererError): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function getWorker(): WorkerLike | null {
    if (fallback) return null;
    if (worker !== undefined) return worker;
    try {
      worker = create();
    } catch (err) {
      console.warn('mask worker unavailable; running mask operations on the UI thread', err);
      worker = null;
    }
    if (!worker) {
      fallback = true;
      return null;
    }
    worker.onmessage = (event) => {
      const res = event.data;
      const p = pending.get(res.id);
      if (!p) return;
      pending.delete(res.id);
      if (res.ok) p.resolve({ data: res.data, width: res.width, height: res.height, ...(res.input ? { input: res.input } : {}) });
      else p.reject(new RendererError(res.error.code, res.error.message));
    };
    worker.onerror = (event) => {
      // A crashed worker fails what it held; the next call starts a fresh one.
      failAll(new RendererError('internal', `The mask worker stopped: ${event.message || 'unknown error'}`));
      worker?.terminate();
      worker = undefined;
    };
    return worker;
  }

  async function run(op: MaskOp): Promise<MaskResult> {
    const w = getWorker();
    if (!w) {
      await Promise.resolve(); // keep async timing identical to the worker path
      try {
        return await runMaskOpAsync(op);
      } catch (err) {
        throw RendererError.from(err);
      }
    }
    // Moved ops hand over their own buffer (whole, so nothing else is detached); others send a copy.
    const whole = op.data.byteOffset === 0 && op.data.byteLength === op.data.buffer.byteLength;
    const copy = op.op === 'encodePngKeep' && whole ? op.data : (op.data.slice() as Uint8Array<ArrayBuffer>);
    const id = nextId++;
    return new Promise<MaskResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ ...op, data: copy, id } as MaskRequest, [copy.buffer]);
    });
  }

  const data = async (op: MaskOp) => (await run(op)).data;

  return {
    grow: (mask, width, height, radius) => data({ op: 'grow', data: mask, width, height, radius }),
    shrink: (mask, width, height, radius) => data({ op: 'shrink', data: mask, width, height, radius }),
    feather: (mask, width, height, radius) => data({ op: 'feather', data: mask, width, height, radius }),
    invert: (mask, width, height) => data({ op: 'invert', data: mask, width, height }),
    // The crops are structured-cloned (copied) with the message; the base goes as a transferred copy.
    compose: (base, width, height, crops) => data({ op: 'compose', data: base ?? new Uint8Array(0), width, height, crops: crops.map((c) => ({ x: c.x, y: c.y, width: c.width, height: c.height, data: c.data })) }),
    encodePng: (mask, width, height, level) => data({ op: 'encodePng', data: mask, width, height, level }),
    async encodePngTransfer(mask, width, height) {
      const r = await run({ op: 'encodePngKeep', data: mask, width, height });
      return { png: r.data, mask: r.input ?? mask };
    },
    decodePng: (png) => run({ op: 'decodePng', data: png }),
    get usesWorker() {
      return getWorker() !== null;
    },
    dispose() {
      failAll(new RendererError('cancelled', 'The mask worker was shut down'));
      worker?.terminate();
      worker = undefined;
    },
  };
}

let shared: MaskWorkerClient | null = null;

/** One worker for the whole renderer (mask ops are short; a single queue keeps memory predictable). */
export function sharedMaskWorker(): MaskWorkerClient {
  shared ??= createMaskWorkerClient();
  return shared;
}
