import { hostname } from 'node:os';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';

/** A lock held longer than this without its owner being checkable (another host) is taken over. */
const FOREIGN_STALE_MS = 6 * 60 * 60 * 1000;

/**
 * One writer per blob across processes (two app instances, the CLI and the app, two containers on
 * one volume): a lock file created exclusively, holding "pid host". A lock whose process is gone
 * (same host) is stale and taken over. Returns the release function.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${process.pid} ${hostname()}\n`);
      } finally {
        await fh.close();
      }
      return async () => {
        await unlink(path).catch(() => {});
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = await readOwner(path);
      // An empty lock may be one another process has just created and not written yet.
      if (!owner && (await ageMs(path)) < 10_000) throw new AppError('engine-busy', `${what} is already being written by another process; try again in a moment`);
      if (owner && !(await isStale(path, owner))) {
        const who = owner.pid === process.pid && owner.host === hostname() ? 'this process' : `process ${owner.pid} on ${owner.host}`;
        throw new AppError('engine-busy', `${what} is already being written by ${who}; wait for it to finish (or remove ${path} if that process is gone)`);
      }
      await unlink(path).catch(() => {});
    }
  }
  throw new AppError('engine-busy', `could not take the lock ${path} for ${what}; try again`);
}

async function readOwner(path: string): Promise<{ pid: number; host: string } | null> {
  try {
    const [pid, host] = (await readFile(path, 'utf8')).trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host ?? '' } : null;
  } catch {
    return null;
  }
}

async function isStale(path: string, owner: { pid: number; host: string }): Promise<boolean> {
  if (owner.host === hostname()) return !isAlive(owner.pid);
  return (await ageMs(path)) > FOREIGN_STALE_MS;
}

function ageMs(path: string): Promise<number> {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => Infinity,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
