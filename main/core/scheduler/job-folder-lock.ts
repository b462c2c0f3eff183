import { readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { createLockFile, removeLockFileIf } from '../paths/lock-file.js';
import { processAlive } from '../containers/host-lock.js';

/** In the jobs folder; starts with "." so the job store never reads it as a record. */
export const JOB_FOLDER_LOCK = '.jobs.lock';

export interface JobFolderLockOptions {
  /** Said to whoever finds the folder taken, e.g. "adstudio serve on 127.0.0.1:8765". */
  purpose?: string;
  /**
   * The holder touches the lock file this often ÷ 4. A lock whose process cannot be looked up from
   * here — another host, or another pid namespace (a container; a restarted container gets a new one)
   * — is stale once untouched for this long (default 20 s); until then the caller waits for it.
   */
  leaseMs?: number;
  /** Injected for tests. */
  isAlive?: (pid: number) => boolean;
  hostname?: string;
  pid?: number;
  /** This process's pid namespace ("pid:[4026531836]" on Linux, null elsewhere). */
  pidNamespace?: string | null;
  /** When a process started (Linux: clock ticks after boot, from /proc/<pid>/stat); null when unknown. */
  startOf?: (pid: number) => string | null;
}

export interface JobFolderLock {
  /** The lock file. */
  readonly file: string;
  /** Gives the folder up (only if the lock file is still this holder's). Safe to call twice. */
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  /** Pids mean something only inside one pid namespace (containers have their own). */
  pidns: string | null;
  /** The owner's start time: a pid reused by another process (a restarted container) does not match. */
  start: string | null;
  /** ms since the epoch. */
  since: number;
  purpose: string;
}

/** Folders this process holds (a second scheduler in the same process is refused too). */
const heldHere = new Set<string>();

/**
 * Claims a jobs folder for this process, so two processes never recover and run the same job
 * records (each would start the same stages: double GPU work, outputs written twice). Same idea as
 * containers/host-lock.ts — a lock file created with O_EXCL holding the owner's pid and host — but
 * held for the life of the scheduler, so it never expires by age and never waits: a folder in use
 * is refused at once with an AppError('io') naming the other process. A lock whose process is gone
 * (same host, pid not running — or our own pid from an earlier life of a container) is stale and
 * taken over.
 */
export async function acquireJobFolderLock(dir: string, options: JobFolderLockOptions = {}): Promise<JobFolderLock> {
  const folder = resolve(dir);
  const file = join(folder, JOB_FOLDER_LOCK);
  const me: Owner = {
    pid: options.pid ?? process.pid,
    host: options.hostname ?? hostname(),
    pidns: options.pidNamespace !== undefined ? options.pidNamespace : pidNamespace(),
    start: (options.startOf ?? processStart)(options.pid ?? process.pid),
    since: Date.now(),
    purpose: options.purpose ?? 'adstudio',
  };
  const isAlive = options.isAlive ?? processAlive;
  const startOf = options.startOf ?? processStart;
  const leaseMs = options.leaseMs ?? 20_000;
  /** How long we wait for an unverifiable lock's lease to run out before refusing. */
  const waitUntil = Date.now() + leaseMs + 1_000;
  const mine = JSON.stringify(me);
  await mkdir(folder, { recursive: true });

  for (let attempt = 0; ; attempt++) {
    if (heldHere.has(file)) {
      throw new AppError('io', `The jobs folder ${folder} is already open in this adstudio process; close its scheduler first (two schedulers must not run the same jobs).`);
    }
    const created = await createLockFile(file, mine).catch((e: unknown) => {
      throw toLockError(e, folder);
    });
    if (created) {
      heldHere.add(file);
      let released = false;
      // Proof of life for processes on other hosts; unref'd: a held lock never keeps the process up.
      const touch = setInterval(() => {
        const now = new Date();
        utimes(file, now, now).catch(() => undefined);
      }, Math.max(10, leaseMs / 4));
      touch.unref();
      return {
        file,
        async release() {
          if (released) return;
          released = true;
          clearInterval(touch);
          heldHere.delete(file);
          // Only our own lock: a takeover after we were judged stale must not be undone.
          await removeLockFileIf(file, mine);
        },
      };
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue; // released between our open and read: try again at once
    const owner = parseOwner(text);
    if (owner === null) {
      // Being written right now, or left half-written by a process that died: judged by its age.
      const age = Date.now() - (await stat(file).then((s) => s.mtimeMs).catch(() => Date.now()));
      if (age < 2_000 && attempt < 40) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
    } else {
      // Its pid can be checked only from the same host and pid namespace.
      const visible = owner.host === me.host && (owner.pidns === null || owner.pidns === me.pidns);
      const untouchedMs = Date.now() - (await stat(file).then((st) => st.mtimeMs).catch(() => 0));
      // A namespace number can come back after a container restart, and pids are reused: the start time tells.
      const reused = owner.start !== null && startOf(owner.pid) !== owner.start;
      const stale = visible ? owner.pid === me.pid || !isAlive(owner.pid) || reused : untouchedMs > leaseMs;
      if (!stale && !visible && Date.now() < waitUntil) {
        // Perhaps a container that was killed and is starting again: its old lock stops being touched.
        await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(20, leaseMs / 10))));
        continue;
      }
      const sameHost = visible;
      if (!stale) {
        const since = new Date(owner.since).toISOString().replace('T', ' ').slice(0, 19);
        throw new AppError(
          'io',
          `The jobs folder ${folder} is in use by another adstudio: process ${owner.pid} on ${owner.host} (${owner.purpose}), since ${since} UTC. ` +
            `Stop that one first or use another folder${sameHost ? '' : ` (or, if nothing runs there any more, wait ${Math.ceil(leaseMs / 1000)} s or delete ${file})`}.`,
        );
      }
    }
    // Stale: remove it unless it changed meanwhile (another process may have just taken over).
    await removeLockFileIf(file, text);
    if (attempt > 400) throw new AppError('io', `Could not take the lock ${file}; another process keeps replacing it.`);
  }
}

function parseOwner(text: string): Owner | null {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.since === 'number') {
      return { pid: o.pid, host: o.host, pidns: typeof o.pidns === 'string' ? o.pidns : null, start: typeof o.start === 'string' ? o.start : null, since: o.since, purpose: typeof o.purpose === 'string' ? o.purpose : 'adstudio' };
    }
  } catch {
    // half-written: the caller judges it by the file's age
  }
  return null;
}

function toLockError(e: unknown, folder: string): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('io', `Cannot lock the jobs folder ${folder}: it is read-only or you do not have permission.`);
  }
  return new AppError('io', `Cannot lock the jobs folder ${folder}: ${(e as Error).message}`);
}

/** The pid namespace of this process (Linux), so a lock from a container is not judged by our pids. */
function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks after boot); null off Linux or when gone. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
