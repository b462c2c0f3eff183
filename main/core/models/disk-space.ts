import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';

/** Free bytes on the file system that holds `path` (or, while it does not exist yet, its nearest existing parent). */
export type FreeSpaceProbe = (path: string) => Promise<number>;

export const statfsFreeSpace: FreeSpaceProbe = async (path) => {
  let at = path;
  for (;;) {
    try {
      const s = await statfs(at);
      return Number(s.bavail) * Number(s.bsize);
    } catch (e) {
      const parent = dirname(at);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw e;
      at = parent;
    }
  }
};

/** Room kept free besides the download itself (file system metadata, other writers). */
export const DISK_HEADROOM = 64 * 1024 * 1024;

/** Throws AppError('io') before a download or import that would fill the disk. */
export async function assertFreeSpace(probe: FreeSpaceProbe, dir: string, neededBytes: number, what: string): Promise<void> {
  if (neededBytes <= 0) return;
  let free: number;
  try {
    free = await probe(dir);
  } catch (e) {
    // A file system that cannot tell (rare) is not a reason to refuse; the write itself will say.
    if ((e as NodeJS.ErrnoException).code === 'ENOSYS') return;
    throw new AppError('io', `cannot check free disk space at ${dir}: ${(e as Error).message}`);
  }
  if (free < neededBytes + DISK_HEADROOM) {
    throw new AppError(
      'io',
      `not enough free disk space for ${what} at ${dir}: it needs ${formatBytes(neededBytes + DISK_HEADROOM)}, ${formatBytes(free)} is free. Free some space, or point ADSTUDIO_MODELS_DIR at another disk.`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}
