import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { createFileJobStore } from '../../../../../main/core/scheduler/job-store.js';
import type { JobRecord } from '../../../../../main/core/scheduler/scheduler-types.js';
import { RunConnectionLost } from '../../../../../main/core/scheduler/stage-errors.js';
import type { StageContext, StageEngine, StageResult } from '../../../../../main/engine/stage-engine.js';
import { chain, testEngine, testScheduler, until } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

type Reattach = (runId: string, context: StageContext) => Promise<StageResult>;

/**
 * A remote engine over the simulated one: the first `lose` stage runs get an id, report a step,
 * then the connection is lost (the run may still be going there); later runs really run.
 * `reattach` is the test's script.
 */
function losingEngine(reattach: Reattach, lose = Infinity) {
  const inner = testEngine();
  const calls = { runStage: 0, reattach: [] as string[] };
  const engine: StageEngine = {
    ...inner,
    async runStage(request, context) {
      calls.runStage++;
      if (calls.runStage > lose) return inner.runStage(request, context);
      const runId = `run-${calls.runStage}`;
      context.onRunId?.(runId);
      context.onProgress?.(1, 4);
      throw new RunConnectionLost(runId, `lost the engine while stage run ${runId} ran (the event stream ended)`);
    },
    reattach(runId, context) {
      calls.reattach.push(runId);
      return reattach(runId, context);
    },
  };
  return { inner, engine, calls };
}

const result = (dir: string): StageResult => ({ outputs: { image: join(dir, 'from-the-run.png') }, madeBy: 'remote:B' });

describe('scheduler runtime: a connection lost mid-run is followed again, not run again', () => {
  const tempDir = useTempDirs();

  it('reattaches to the same run with backoff and never starts it a second time', async () => {
    const dir = await tempDir();
    let attempts = 0;
    const { engine, calls } = losingEngine(async (_runId, context) => {
      if (++attempts === 1) throw new RunConnectionLost('run-1', 'the engine did not answer (ECONNREFUSED)');
      context.onProgress?.(4, 4);
      return result(dir);
    });
    const scheduler = await testScheduler(engine, { retry: { baseMs: 10, maxMs: 40, maxAttempts: 5 } });
    const notes: string[] = [];
    scheduler.subscribe((e) => {
      if (e.type === 'job' && e.job.stages[0]?.note) notes.push(e.job.stages[0].note);
    });
    const job = await scheduler.submit(chain('lost', ['B'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[0]).toMatchObject({ madeBy: 'remote:B', outputs: { image: join(dir, 'from-the-run.png') }, attempts: 1, remoteRunId: null });
    // One run on the engine, followed three times (the first answer, two reattaches).
    expect(calls.runStage).toBe(1);
    expect(calls.reattach).toEqual(['run-1', 'run-1']);
    expect(notes[0]).toMatch(/^Lost touch with the engine while run run-1 was going \(lost the engine .*\); following the same run again in 10 ms \(attempt 2 of 5\)\.$/);
    expect(notes).toContainEqual(expect.stringMatching(/following the same run again in 20 ms \(attempt 3 of 5\)/));
    expect(record?.stages[0]?.note).toBe('Picked up run run-1 again after losing touch with the engine.');
    await scheduler.close();
  });

  it('runs the stage again only when the engine says it no longer knows the run', async () => {
    const dir = await tempDir();
    // The second run goes through on the simulated engine.
    const { engine, calls } = losingEngine(async () => {
      throw new AppError('not-found', 'no stage run "run-1" on this server');
    }, 1);
    const scheduler = await testScheduler(engine, { retry: { baseMs: 5, maxMs: 5, maxAttempts: 5 } });
    const job = await scheduler.submit(chain('gone', ['B'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('done');
    expect(calls.reattach).toEqual(['run-1']);
    expect(calls.runStage).toBe(2);
    expect(record?.stages[0]?.madeBy).toBe('simulated:B');
    await scheduler.close();
  });

  it('gives up after the attempts, saying the run may still be going, without starting it again', async () => {
    const dir = await tempDir();
    const { engine, calls } = losingEngine(async (runId) => {
      throw new RunConnectionLost(runId, 'the engine did not answer (ECONNREFUSED)');
    });
    const scheduler = await testScheduler(engine, { retry: { baseMs: 2, maxMs: 4, maxAttempts: 4 } });
    const job = await scheduler.submit(chain('unreachable', ['B'], dir));
    await scheduler.idle();
    const record = scheduler.get(job.id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('engine-busy');
    expect(record?.error?.message).toMatch(/could not reach the run again in 4 attempts \(the engine did not answer \(ECONNREFUSED\)\)\. It may still be running on the engine; it was not started a second time\./);
    expect(calls.runStage).toBe(1);
    expect(calls.reattach).toEqual(['run-1', 'run-1', 'run-1']);
    await scheduler.close();
  });

  it('cancelling while it waits to reattach cancels the job at once, and still asks the engine to stop that run', async () => {
    const dir = await tempDir();
    const stopped: string[] = [];
    const { engine, calls } = losingEngine(async (runId, context) => {
      // A reattach with a cancelled signal is how an engine is told to stop the run (the HTTP engine POSTs cancel).
      if (context.signal.aborted) stopped.push(runId);
      throw new RunConnectionLost(runId, 'no answer');
    });
    const scheduler = await testScheduler(engine, { retry: { baseMs: 5_000, maxMs: 5_000, maxAttempts: 5 } });
    const job = await scheduler.submit(chain('cancel', ['B'], dir));
    await until(() => /following the same run again/.test(scheduler.get(job.id)?.stages[0]?.note ?? ''));
    const t0 = performance.now();
    expect((await scheduler.cancel(job.id)).status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(calls.reattach).toEqual(['run-1']);
    expect(stopped).toEqual(['run-1']);
    await scheduler.close();
  });

  it('closing while it waits to reattach keeps the run id, and the next start follows that run', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    const { engine } = losingEngine(async (runId) => {
      throw new RunConnectionLost(runId, 'no answer');
    });
    const first = await testScheduler(engine, { store: createFileJobStore(jobsDir), retry: { baseMs: 5_000, maxMs: 5_000, maxAttempts: 5 } });
    const job = await first.submit(chain('restart', ['B'], work));
    await until(() => /following the same run again/.test(first.get(job.id)?.stages[0]?.note ?? ''));
    await first.close();
    const file = (await readdir(jobsDir)).find((n) => n === `${job.id}.json`) as string;
    const onDisk = (JSON.parse(await readFile(join(jobsDir, file), 'utf8')) as { record: JobRecord }).record;
    expect(onDisk.stages[0]).toMatchObject({ status: 'running', remoteRunId: 'run-1' });

    const second = losingEngine(async () => result(work));
    const scheduler = await testScheduler(second.engine, { store: createFileJobStore(jobsDir) });
    await scheduler.idle();
    expect(scheduler.get(job.id)?.status).toBe('done');
    expect(second.calls.reattach).toEqual(['run-1']);
    expect(second.calls.runStage).toBe(0);
    await scheduler.close();
  });
});
