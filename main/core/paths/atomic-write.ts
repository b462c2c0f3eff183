import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';

export interface AtomicWriteOptions {
  /** Create the parent folder first (our own folders); user-chosen folders must already exist. */
  mkdir?: boolean;
  /** File mode for a new file, e.g. 0o600 for secrets (default 0o666 minus umask). */
  mode?: number;
}

/**
 * Write a file so that readers see either the old or the new content, never half of it:
 * temp file in the same folder → fsync → rename. On failure the temp file is removed, so a full
 * disk is not made fuller, and the error becomes AppError('io') with a message a person can act on.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    if (options.mkdir) await mkdir(dir, { recursive: true });
    const handle = await open(tmp, 'wx', options.mode ?? 0o666);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    created = false;
    await syncDir(dir);
  } catch (e) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw toIoError(e, dir);
  }
}

/** Make a rename (or link) in `dir` durable (best effort: not possible on Windows). */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the data itself is already synced.
  }
}

/** Translate a Node file-system error during a write into AppError('io'). */
export function toIoError(e: unknown, folder: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError('io', `Cannot write to ${folder}: it is read-only or you do not have permission. Choose another folder.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('io', `Cannot write to ${folder}: the disk is full. Free some space or choose another disk.`);
    case 'ENOENT':
      return new AppError('io', `Cannot write to ${folder}: the folder does not exist.`);
    case 'ENOTDIR':
      return new AppError('io', `Cannot write to ${folder}: it is not a folder.`);
    default:
      return new AppError('io', `Cannot write to ${folder}: ${(e as Error).message}`);
  }
}
