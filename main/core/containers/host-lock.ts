import { mkdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { createLockFile, removeLockFileIf } from '../paths/lock-file.js';
import { ContainerError } from './container-errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  /** ms since epoch. */
  since: number;
  purpose: string;
}

export interface HostLockOptions {
  /** Give up after this long (default 30 s): the other instance is doing the same work. */
  waitMs?: number;
  pollMs?: number;
  /** A lock older than this is stale whoever holds it (default 10 min; creating a container takes seconds). */
  staleMs?: number;
  /** Injected for tests. */
  isAlive?: (pid: number) => boolean;
  now?: () => number;
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * A lock file created with O_EXCL, so two adstudio processes on this machine (app windows, CLI, a
 * server) never run find-then-create for an engine at the same time. It holds the owner's pid and
 * host; a lock whose process is gone, or that is too old, is stale and taken over. Docker's unique
 * container names are the second guard: a create that loses a race fails with a conflict, and the
 * loser adopts the winner's container.
 */
export async function acquireHostLock(file: string, purpose: string, options: HostLockOptions = {}): Promise<HeldLock> {
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const isAlive = options.isAlive ?? processAlive;
  const now = options.now ?? Date.now;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: now(), purpose };
  const mine = JSON.stringify(me);
  const deadline = now() + waitMs;
  await mkdir(dirname(file), { recursive: true });

  for (;;) {
    if (await createLockFile(file, mine)) return { release: () => removeLockFileIf(file, mine) };
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue; // released between our open and read: try again at once
    const owner = parseOwner(text);
    const age = now() - (owner?.since ?? (await stat(file).then((s) => s.mtimeMs).catch(() => now())));
    const stale = owner === null ? age > 5_000 : age > staleMs || (owner.host === me.host && !isAlive(owner.pid));
    if (stale) {
      // Not a fresh lock that replaced the stale one meanwhile.
      await removeLockFileIf(file, text);
      continue;
    }
    if (now() >= deadline) {
      const who = owner ? `process ${owner.pid} on ${owner.host} (${owner.purpose})` : 'another process';
      throw new ContainerError(
        'busy',
        `Another adstudio, ${who}, has been setting up an engine container for ${Math.round(age / 1000)} s.`,
        `Wait for it to finish and try again; if no adstudio is running, delete ${file}.`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.since === 'number') {
      return { pid: o.pid, host: o.host, since: o.since, purpose: typeof o.purpose === 'string' ? o.purpose : '?' };
    }
  } catch {
    // half-written by a process that died mid-write: judged by the file's age
  }
  return null;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
