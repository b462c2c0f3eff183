import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../../preload/contract/index.js';

const CHUNK = 4 * 1024 * 1024;

/**
 * Copies `src` to a new file `dst` (which must not exist) and returns the SHA-256 of what was
 * written, reading the source once. `dst` is synced; the caller removes it when the hash is wrong.
 */
export async function copyHashing(src: string, dst: string, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const input = await open(src, 'r');
  try {
    const output = await open(dst, 'wx');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      let total = 0;
      for (;;) {
        if (options.signal?.aborted) throw new AppError('cancelled', 'the import was cancelled');
        const { bytesRead } = await input.read(buffer, 0, CHUNK, total);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        await output.write(chunk, 0, bytesRead);
        total += bytesRead;
        options.onBytes?.(total);
      }
      await output.sync();
      return { sha256: hash.digest('hex'), bytes: total };
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}
