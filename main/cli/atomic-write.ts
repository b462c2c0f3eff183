import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../preload/contract/index.js';

/** Checks up front that `file` can be created, so a long job does not end in "cannot write". */
export async function assertWritableTarget(file: string, label = 'output'): Promise<void> {
  const dir = dirname(file);
  let dirStat;
  try {
    dirStat = await stat(dir);
  } catch {
    throw new AppError('io', `cannot write ${label} ${file}: folder ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new AppError('io', `cannot write ${label} ${file}: ${dir} is not a folder`);
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new AppError('io', `cannot write ${label} ${file}: it is a folder`);
  // A real probe (not access(W_OK)): it also catches read-only mounts, and root ignoring permissions.
  const probe = join(dir, `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.probe`);
  try {
    const fh = await open(probe, 'wx');
    await fh.close();
  } catch (e) {
    throw new AppError('io', `cannot write ${label} into folder ${dir}: ${reason(e)}`);
  }
  await unlink(probe).catch(() => {});
}

/**
 * Writes via a temp file in the same folder, fsync, rename: readers see the old file or the whole new
 * one, never half of it; on any failure the temp file is removed.
 */
export async function writeFileAtomic(file: string, data: Uint8Array, label = 'output'): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new AppError('io', `cannot write ${label} ${file}: ${reason(e)}`);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the folder is on a read-only file system';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOENT':
      return 'the folder does not exist';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
