import { createHash, type Hash } from 'node:crypto';
import { open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../preload/contract/index.js';
import { hashInto } from './file-hash.js';

export interface DownloadRequest {
  url: string;
  /** The partial file; appended to (resumed) when it already holds bytes. */
  partialPath: string;
  expectedSize: number;
  signal?: AbortSignal;
  /** Bytes on disk so far, of `total`. */
  onBytes?: (received: number, total: number) => void;
  /** Automatic resumes after a dropped connection or a failed attempt (default 4). */
  retries?: number;
  /** First pause between attempts, doubled each time (default 500 ms). */
  retryDelayMs?: number;
  /** Injected in tests; default the global fetch (undici). */
  fetch?: typeof fetch;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
}

/** A failure worth another attempt (the connection dropped, the server hiccuped). */
class Retryable extends Error {}

/** The hub answered with something that cannot be the expected file: the partial file must go. */
export class WrongFileError extends AppError {
  constructor(message: string) {
    super('io', message);
    this.name = 'WrongFileError';
  }
}

/**
 * Fetches `url` into `partialPath` until it holds `expectedSize` bytes, hashing as it goes, and
 * returns the SHA-256 of the whole file. An existing partial file is resumed with an HTTP Range
 * request (its bytes are hashed first); a dropped connection is resumed the same way, a few times
 * with growing pauses. The partial file stays on disk when this throws (cancel, network down), so
 * the next call resumes; a response that cannot be the expected file (wrong size) is a
 * WrongFileError, and the caller discards the partial file then.
 */
export async function downloadToPartial(req: DownloadRequest): Promise<DownloadResult> {
  const doFetch = req.fetch ?? fetch;
  const retries = req.retries ?? 4;
  const delay = req.retryDelayMs ?? 500;
  const host = safeHost(req.url);
  let hash = createHash('sha256');
  let have = await sizeOf(req.partialPath);
  if (have > req.expectedSize) {
    await truncate(req.partialPath, 0);
    have = 0;
  }
  if (have > 0) await hashInto(hash, req.partialPath, { limit: have, signal: req.signal });
  req.onBytes?.(have, req.expectedSize);

  let lastError: Error | null = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(delay * 2 ** (attempt - 1), req.signal);
    checkCancelled(req.signal);
    if (have === req.expectedSize) break;
    let response: Response;
    try {
      response = await doFetch(req.url, {
        headers: have > 0 ? { Range: `bytes=${have}-` } : {},
        redirect: 'follow',
        ...(req.signal ? { signal: req.signal } : {}),
      });
    } catch (e) {
      checkCancelled(req.signal);
      lastError = new AppError('io', `cannot reach ${host}: ${networkReason(e)}. Check the network connection, or fetch the file on another machine and use "adstudio models import".`);
      continue;
    }

    try {
      if (response.status === 416) {
        // Nothing left to send from `have`: either we already hold everything, or our bytes are not theirs.
        await response.body?.cancel().catch(() => {});
        if (have === req.expectedSize) break;
        const at = have;
        ({ hash, have } = await restart(req.partialPath));
        throw new Retryable(`the server refused to resume at byte ${at}`);
      }
      if (response.status === 404) throw new AppError('not-found', `the model hub has no file at ${req.url} (HTTP 404): the model may have moved; check ADSTUDIO_MODEL_HUB, or import the file with "adstudio models import"`);
      if (response.status === 401 || response.status === 403) {
        throw new AppError('unauthorized', `the model hub refused the download of ${req.url} (HTTP ${response.status}): the file may need a login or be blocked on this network`);
      }
      if (response.status >= 500 || response.status === 429 || response.status === 408) throw new Retryable(`the model hub answered HTTP ${response.status}`);
      if (response.status !== 200 && response.status !== 206) {
        throw new AppError('io', `the model hub answered HTTP ${response.status} for ${req.url}`);
      }

      let start = 0;
      let announced: number | null = null;
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get('content-range'));
        if (!range || range.start !== have) {
          // A server that resumed somewhere else: start over rather than splice mismatched bytes.
          await response.body?.cancel().catch(() => {});
          ({ hash, have } = await restart(req.partialPath));
          throw new Retryable('the server resumed at an unexpected offset');
        }
        start = range.start;
        announced = range.total;
      } else {
        // 200: the whole file again (the server ignores Range, or we asked from 0).
        if (have > 0) ({ hash, have } = await restart(req.partialPath));
        const length = Number(response.headers.get('content-length'));
        announced = Number.isFinite(length) && response.headers.has('content-length') ? length : null;
      }
      if (announced !== null && announced !== req.expectedSize) {
        await response.body?.cancel().catch(() => {});
        throw new WrongFileError(`the file on the model hub is ${announced} bytes, but the published model is ${req.expectedSize} bytes: not the expected file; nothing was installed`);
      }
      const progress = { have: start };
      try {
        await appendBody(response, req, hash, progress);
      } finally {
        // Bytes written before a dropped connection count: they are on disk and hashed.
        have = progress.have;
      }
      if (have === req.expectedSize) break;
      throw new Retryable(`the connection closed after ${have} of ${req.expectedSize} bytes`);
    } catch (e) {
      checkCancelled(req.signal);
      if (e instanceof AppError) throw e;
      lastError = e instanceof Retryable ? e : new Retryable(`the connection dropped (${networkReason(e)})`);
    }
  }
  if (have !== req.expectedSize) {
    const kept = have > 0 ? ` The ${have} bytes received are kept: run the download again to resume.` : '';
    if (lastError instanceof AppError) throw new AppError(lastError.code, `${lastError.message}${kept}`);
    throw new AppError('io', `downloading from ${host} failed after ${retries + 1} attempts: ${lastError?.message ?? 'unknown error'}.${kept}`);
  }
  return { sha256: hash.digest('hex'), bytes: have };
}

/**
 * Streams the body onto the end of the partial file, keeping `progress.have` (bytes on disk, all of
 * them hashed) current even when the stream fails half-way.
 */
async function appendBody(response: Response, req: DownloadRequest, hash: Hash, progress: { have: number }): Promise<void> {
  if (!response.body) return;
  const fh: FileHandle = await open(req.partialPath, progress.have > 0 ? 'a' : 'w');
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (progress.have + value.byteLength > req.expectedSize) {
        // Never let an oversized answer grow the partial file past the model's size.
        await reader.cancel().catch(() => {});
        throw new WrongFileError(`the model hub sent more bytes than the model has (over ${req.expectedSize}): not the expected file; nothing was installed`);
      }
      await fh.write(value);
      hash.update(value);
      progress.have += value.byteLength;
      req.onBytes?.(progress.have, req.expectedSize);
    }
  } finally {
    reader.releaseLock();
    await fh.sync().catch(() => {});
    await fh.close();
  }
}

async function restart(path: string): Promise<{ hash: Hash; have: number }> {
  await truncate(path, 0).catch(() => {});
  return { hash: createHash('sha256'), have: 0 };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function parseContentRange(value: string | null): { start: number; end: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'the download was cancelled (the bytes received are kept for a resume)');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new AppError('cancelled', 'the download was cancelled (the bytes received are kept for a resume)'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** undici wraps the socket error in `cause`: ECONNREFUSED, ENOTFOUND, ECONNRESET… say which. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name cannot be resolved (offline?)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'the network is unreachable';
    default:
      return cause?.message ?? (e instanceof Error ? e.message : String(e));
  }
}
