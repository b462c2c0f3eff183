import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../../main/cli/cli-io.js';
import { main } from '../../../../../main/cli/index.js';
import { acquireJobFolderLock, JOB_FOLDER_LOCK } from '../../../../../main/core/scheduler/job-folder-lock.js';
import { createFileJobStore } from '../../../../../main/core/scheduler/job-store.js';
import { RECORDS_DIR } from '../../../../../main/server/engine-protocol/workspace.js';
import { AppError } from '../../../../../preload/contract/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A real other process that is alive until the test kills it. */
async function otherProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child as ChildProcess & { pid: number };
}

/** The lock file as another adstudio process would have written it. */
const lockOf = (pid: number, host = hostname(), purpose = 'adstudio serve on 127.0.0.1:8765') => JSON.stringify({ pid, host, since: Date.UTC(2025, 0, 2, 3, 4, 5), purpose });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => {
      throw new Error('expected the lock to be refused');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('job folder lock: one process per jobs folder', () => {
  const tempDir = useTempDirs();

  it('refuses a folder another live process holds, naming it; takes it over once that process is gone', async () => {
    const dir = join(await tempDir(), 'jobs');
    await mkdir(dir);
    const other = await otherProcess();
    await writeFile(join(dir, JOB_FOLDER_LOCK), lockOf(other.pid));
    const e = await refusal(acquireJobFolderLock(dir, { purpose: 'the editor' }));
    expect(e.code).toBe('io');
    expect(e.message).toBe(
      `The jobs folder ${dir} is in use by another adstudio: process ${other.pid} on ${hostname()} (adstudio serve on 127.0.0.1:8765), ` +
        'since 2025-01-02 03:04:05 UTC. Stop that one first or use another folder.',
    );
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const lock = await acquireJobFolderLock(dir, { purpose: 'the editor' });
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'the editor' });
    await lock.release();
  });

  it('refuses a second holder in the same process until the first releases; release leaves a lock that is not its own', async () => {
    const dir = join(await tempDir(), 'jobs');
    const first = await acquireJobFolderLock(dir);
    expect((await refusal(acquireJobFolderLock(dir))).message).toMatch(/is already open in this adstudio process/);
    await first.release();
    await first.release();
    expect(await readdir(dir)).toEqual([]);

    const second = await acquireJobFolderLock(dir);
    // Someone judged it stale and took it over: our release must not delete their lock.
    await writeFile(join(dir, JOB_FOLDER_LOCK), lockOf(999_999));
    await second.release();
    expect(JSON.parse(await readFile(join(dir, JOB_FOLDER_LOCK), 'utf8'))).toMatchObject({ pid: 999_999 });
  });

  it('takes over a lock left by a dead process, or by this very pid in an earlier life (a restarted container)', async () => {
    const dir = join(await tempDir(), 'jobs');
    await mkdir(dir);
    // …or one a process died writing (judged by its age).
    for (const stale of [lockOf(2_000_000_000), lockOf(process.pid), '{"pid": 12']) {
      await writeFile(join(dir, JOB_FOLDER_LOCK), stale);
      const old = new Date(Date.now() - 10_000);
      await utimes(join(dir, JOB_FOLDER_LOCK), old, old);
      const taken = await acquireJobFolderLock(dir);
      expect(JSON.parse(await readFile(taken.file, 'utf8')).since).toBeGreaterThan(Date.UTC(2025, 0, 2, 3, 4, 5));
      await taken.release();
    }
  });

  it('a lock from another host counts while its holder keeps touching it (refused after waiting out the lease), and is stale once it stops', async () => {
    const dir = join(await tempDir(), 'jobs');
    await mkdir(dir);
    const file = join(dir, JOB_FOLDER_LOCK);
    await writeFile(file, lockOf(1, 'gpu-box'));
    // Its holder is alive over there: it keeps touching the file.
    const touching = setInterval(() => void utimes(file, new Date(), new Date()).catch(() => undefined), 50);
    const t0 = Date.now();
    const e = await refusal(acquireJobFolderLock(dir, { leaseMs: 400 })).finally(() => clearInterval(touching));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(e.message).toContain('process 1 on gpu-box (adstudio serve on 127.0.0.1:8765)');
    expect(e.message).toContain(`(or, if nothing runs there any more, wait 1 s or delete ${file})`);
    // A replaced machine or container left it behind and nobody touched it since.
    const old = new Date(Date.now() - 10_000);
    await utimes(file, old, old);
    const lock = await acquireJobFolderLock(dir, { leaseMs: 400 });
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it('a container killed and started again (same host name, a new pid namespace) takes its old lock over once the lease runs out', async () => {
    const dir = join(await tempDir(), 'jobs');
    await mkdir(dir);
    // Written a moment ago by pid 8 of the container's previous life; pid 8 may well exist in ours.
    await writeFile(join(dir, JOB_FOLDER_LOCK), JSON.stringify({ pid: 8, host: hostname(), pidns: 'pid:[4026532001]', since: Date.now(), purpose: 'adstudio serve on 127.0.0.1:8765' }));
    const t0 = Date.now();
    const lock = await acquireJobFolderLock(dir, { leaseMs: 300, pidNamespace: 'pid:[4026532999]', isAlive: () => true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, pidns: 'pid:[4026532999]' });
    await lock.release();
  });

  it('a reused pid is not the owner: a live process with another start time (a restarted container whose namespace number came back) does not hold the lock', async () => {
    const dir = join(await tempDir(), 'jobs');
    await mkdir(dir);
    const other = await otherProcess();
    const owner = { pid: other.pid, host: hostname(), pidns: null, start: 'started-earlier', since: Date.now(), purpose: 'adstudio serve on 127.0.0.1:8765' };
    await writeFile(join(dir, JOB_FOLDER_LOCK), JSON.stringify(owner));
    const lock = await acquireJobFolderLock(dir);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    // The same pid with its real start time does hold it.
    await writeFile(join(dir, JOB_FOLDER_LOCK), JSON.stringify({ ...owner, start: readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19] }));
    await refusal(acquireJobFolderLock(dir));
    other.kill('SIGKILL');
  });

  it('the holder touches its lock while it holds it', async () => {
    const dir = join(await tempDir(), 'jobs');
    const lock = await acquireJobFolderLock(dir, { leaseMs: 200 });
    const old = new Date(Date.now() - 10_000);
    await utimes(lock.file, old, old);
    await expect.poll(async () => Date.now() - (await stat(lock.file)).mtimeMs, { timeout: 2_000 }).toBeLessThan(1_000);
    await lock.release();
  });

  it('the lock file is not a job record to the job store', async () => {
    const dir = join(await tempDir(), 'jobs');
    const lock = await acquireJobFolderLock(dir);
    expect(await createFileJobStore(dir).load()).toEqual({ records: [], problems: [] });
    expect(await readdir(dir)).toEqual([JOB_FOLDER_LOCK]);
    await lock.release();
  });

  it('adstudio serve refuses a workspace whose jobs another server runs, naming that server', async () => {
    const workspace = await tempDir();
    const other = await otherProcess();
    await mkdir(join(workspace, RECORDS_DIR, 'jobs'), { recursive: true });
    await writeFile(join(workspace, RECORDS_DIR, 'jobs', JOB_FOLDER_LOCK), lockOf(other.pid, hostname(), 'adstudio serve on 127.0.0.1:9999'));
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: workspace, env: {} };
    const code = await main(['serve', '--port', '0', '--token', 'test-token-0123456789abcdef', '--workspace', workspace], io);
    expect(code).toBe(1);
    expect(out.join('')).toBe('');
    expect(err.join('')).toMatch(new RegExp(`^adstudio: error: The jobs folder .* is in use by another adstudio: process ${other.pid} on .* \\(adstudio serve on 127\\.0\\.0\\.1:9999\\)`));
  });
});
