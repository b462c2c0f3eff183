import { open, readFile, unlink } from 'node:fs/promises';

/**
 * The primitives of adstudio's lock files (the engine-container host lock, the jobs-folder lock):
 * create with O_EXCL so exactly one process wins, and remove only what is still ours, since a
 * stale-lock takeover may have replaced the file meanwhile.
 */

/** Creates `file` holding `content` (synced); false when it exists already. Other errors are thrown. */
export async function createLockFile(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** Removes `file` if it still holds exactly `content` (ours on release; the stale text we read on a takeover). */
export async function removeLockFileIf(file: string, content: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === content) await unlink(file).catch(() => undefined);
}
