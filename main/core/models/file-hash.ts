import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../../preload/contract/index.js';

const CHUNK = 4 * 1024 * 1024;

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far (called once per chunk). */
  onBytes?: (bytes: number) => void;
  /** Hash only the first `limit` bytes (resuming a partial download). */
  limit?: number;
}

/** Feeds a file's bytes into `hash` (streamed in 4 MB chunks: a 200 MB model never sits in memory). */
export async function hashInto(hash: Hash, path: string, options: HashOptions = {}): Promise<number> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AppError('cancelled', 'checking the model file was cancelled');
      const want = options.limit === undefined ? CHUNK : Math.min(CHUNK, options.limit - total);
      if (want <= 0) break;
      const { bytesRead } = await handle.read(buffer, 0, want, total);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
      options.onBytes?.(total);
    }
  } finally {
    await handle.close();
  }
  return total;
}

/** SHA-256 of a file, lower-case hex. */
export async function sha256File(path: string, options: HashOptions = {}): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const bytes = await hashInto(hash, path, options);
  return { sha256: hash.digest('hex'), bytes };
}
