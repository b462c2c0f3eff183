import { randomBytes } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../preload/contract/index.js';
import { writeFileAtomic as writeCoreFileAtomic } from '../core/paths/atomic-write.js';

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

/** The shared atomic write (temp file, fsync, rename; temp removed on failure), with the CLI's wording. */
export async function writeFileAtomic(file: string, data: Uint8Array, label = 'output'): Promise<void> {
  try {
    await writeCoreFileAtomic(file, data);
  } catch (e) {
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
