import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../preload/contract/index.js';
import { WorkerPool } from '../../../../main/engine/worker-pool.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the job to fail');
}

describe('WorkerPool', () => {
  it('turns a worker that exits mid-job into an engine error, and keeps working afterwards', async () => {
    pool = new WorkerPool({ script: fixture('exit-worker.mjs'), label: 'test', size: 1 });
    const err = await rejection(pool.run({}));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('engine');
    expect(err.message).toMatch(/stopped unexpectedly \(exit code 3\)/);
    // The dead worker was replaced: the next job gets a fresh one (and fails the same clear way).
    expect((await rejection(pool.run({}))).code).toBe('engine');
  });

  it('turns an uncaught exception in a worker into an engine error naming it', async () => {
    pool = new WorkerPool({ script: fixture('throw-worker.mjs'), label: 'test', size: 1 });
    const err = await rejection(pool.run({}));
    expect(err.code).toBe('engine');
    expect(err.message).toContain('boom in worker');
  });

  it('reports a worker script that cannot load as an engine error instead of hanging', async () => {
    pool = new WorkerPool({ script: fixture('missing-worker.mjs'), label: 'test', size: 1 });
    const err = await rejection(pool.run({}));
    expect(err.code).toBe('engine');
  });

  it('cancels a job that ignores the abort flag within 100 ms by terminating its worker', async () => {
    pool = new WorkerPool({ script: fixture('stubborn-worker.mjs'), label: 'test', size: 1 });
    const controller = new AbortController();
    let abortedAt = 0;
    const job = pool.run({}, {
      signal: controller.signal,
      onProgress: () => {
        abortedAt = performance.now();
        controller.abort();
      },
    });
    const err = await rejection(job);
    const took = performance.now() - abortedAt;
    expect(err.code).toBe('cancelled');
    expect(abortedAt).toBeGreaterThan(0);
    expect(took).toBeLessThan(100);
  });

  it('reuses at most `size` workers and queues the rest', async () => {
    pool = new WorkerPool({ script: fixture('echo-worker.mjs'), label: 'test', size: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool!.run<number, { payload: number; threadId: number }>(n)));
    expect(results.map((r) => r.payload)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => r.threadId)).size).toBeLessThanOrEqual(2);
  });

  it('rejects a queued job at once when it is cancelled before it starts', async () => {
    pool = new WorkerPool({ script: fixture('stubborn-worker.mjs'), label: 'test', size: 1 });
    const first = rejection(pool.run({}));
    const controller = new AbortController();
    const second = pool.run({}, { signal: controller.signal });
    controller.abort();
    expect((await rejection(second)).code).toBe('cancelled');
    await pool.close();
    expect((await first).code).toBe('cancelled');
  });
});
