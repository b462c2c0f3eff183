import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { createFileJobStore } from '../../../../../main/core/scheduler/job-store.js';
import type { JobRecord } from '../../../../../main/core/scheduler/scheduler-types.js';
import type { StageContext, StageEngine } from '../../../../../main/engine/stage-engine.js';
import { chain, testEngine, testScheduler, until } from './sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

async function recordsIn(dir: string): Promise<JobRecord[]> {
  // Dot files are not records (the learnt model estimates live beside them).
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  return Promise.all(files.map(async (f) => (JSON.parse(await readFile(join(dir, f), 'utf8')) as { record: JobRecord }).record));
}

describe('scheduler runtime: durable jobs across restarts', () => {
  const tempDir = useTempDirs();

  it('a new scheduler over the same folder finishes the jobs the old one left queued or running', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    // Five times slower than the other tests: the first life must still be busy when it closes.
    const first = await testScheduler(testEngine({ timeScale: 5 }), { store: createFileJobStore(jobsDir) });
    const ids = (await Promise.all([0, 1, 2].map((i) => first.submit(chain(`j${i}`, ['D', 'A'], work))))).map((r) => r.id);
    await until(() => first.list().some((r) => r.stages.some((st) => st.status === 'running')));
    await first.close();

    const onDisk = await recordsIn(jobsDir);
    expect(onDisk.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(onDisk.every((r) => r.status === 'queued' || r.status === 'running')).toBe(true);
    const interrupted = onDisk.flatMap((r) => r.stages).filter((st) => st.note === 'Stopped when adstudio closed; it runs again on the next start.');
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]?.status).toBe('waiting');

    const engine = testEngine();
    const second = await testScheduler(engine, { store: createFileJobStore(jobsDir) });
    expect(second.list({ active: true }).map((r) => r.id).sort()).toEqual([...ids].sort());
    await second.idle();
    for (const id of ids) expect(second.get(id)?.status).toBe('done');
    // They continued on at most one load per model.
    for (const n of Object.values(engine.stats().loadsByModel)) expect(n).toBe(1);
    await second.close();
    expect((await recordsIn(jobsDir)).every((r) => r.status === 'done')).toBe(true);
  });

  it('hands a stage that was running remotely back to the engine by its run id', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    // First life: an engine that reports a remote run id, then the app goes away mid-stage.
    const inner1 = testEngine({ timeScale: 20 }); // slow: the app must go away while the run is on
    const remote1: StageEngine = {
      ...inner1,
      async runStage(request, context) {
        context.onRunId?.('run-42');
        return inner1.runStage(request, context);
      },
    };
    const first = await testScheduler(remote1, { store: createFileJobStore(jobsDir) });
    const job = await first.submit(chain('remote', ['D'], work));
    await until(() => first.get(job.id)?.stages[0]?.remoteRunId === 'run-42');
    await first.close();
    expect((await recordsIn(jobsDir))[0]?.stages[0]).toMatchObject({ status: 'running', remoteRunId: 'run-42' });

    // Second life: the engine still has the run and can follow it to its end.
    const inner2 = testEngine();
    const followed: string[] = [];
    const remote2: StageEngine = {
      ...inner2,
      async reattach(runId: string, context: StageContext) {
        followed.push(runId);
        context.onProgress?.(6, 6);
        return { outputs: { image: join(work, 'from-the-container.png') }, madeBy: 'remote:D' };
      },
    };
    const second = await testScheduler(remote2, { store: createFileJobStore(jobsDir) });
    await second.idle();
    expect(followed).toEqual(['run-42']);
    const record = second.get(job.id);
    expect(record?.status).toBe('done');
    expect(record?.stages[0]).toMatchObject({ madeBy: 'remote:D', outputs: { image: join(work, 'from-the-container.png') }, remoteRunId: null });
    expect(inner2.stats().runs).toBe(0);
    await second.close();
  });

  it('runs the stage again with a note when the engine no longer knows the run, or cannot reattach', async () => {
    const work = await tempDir();
    for (const canReattach of [true, false]) {
      const jobsDir = join(work, `jobs-${canReattach}`);
      const record: JobRecord = {
        id: 'job-1',
        spec: chain('left-running', ['C'], work),
        status: 'running',
        progress: 0.3,
        etaSeconds: 1,
        stages: [{ id: 's0', status: 'running', step: 1, totalSteps: 3, attempts: 1, startedAt: 1, finishedAt: null, outputs: {}, madeBy: null, error: null, remoteRunId: 'gone' }],
        createdAt: 1,
        startedAt: 1,
        finishedAt: null,
        error: null,
        simulated: true,
      };
      await createFileJobStore(jobsDir).save(record);
      const inner = testEngine();
      const engine: StageEngine = canReattach
        ? {
            ...inner,
            async reattach() {
              throw new AppError('not-found', 'No run "gone".');
            },
          }
        : inner;
      const notes: string[] = [];
      const scheduler = await testScheduler(engine, { store: createFileJobStore(jobsDir) });
      scheduler.subscribe((e) => {
        if (e.type === 'job' && e.job.stages[0]?.note) notes.push(e.job.stages[0].note);
      });
      await scheduler.idle();
      const done = scheduler.get('job-1');
      expect(done?.status).toBe('done');
      expect(done?.progress).toBe(1);
      expect(done?.stages[0]?.note ?? notes.at(-1)).toMatch(canReattach ? /Could not pick up the run after the restart \(No run "gone"\.\)/ : /Interrupted when adstudio stopped/);
      await scheduler.close();
    }
  });

  it('keeps a bounded history of finished jobs on disk and learns stage durations from it', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    const first = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir), historyLimit: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await first.submit(chain(`j${i}`, ['E'], work))).id);
      await first.idle();
    }
    expect(first.list().map((r) => r.id)).toEqual(ids.slice(2).reverse());
    await first.close();
    expect((await recordsIn(jobsDir)).map((r) => r.id).sort()).toEqual(ids.slice(2).sort());

    const second = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir), historyLimit: 3 });
    expect(second.list().map((r) => r.id)).toEqual(ids.slice(2).reverse());
    // E's catalog figure is 1 ms; what the history says is what it really took.
    const learnt = second.estimates.expectedRunMs('E', 'detect_text') as number;
    const recorded = (await recordsIn(jobsDir)).map((r) => (r.stages[0]?.finishedAt as number) - (r.stages[0]?.startedAt as number));
    expect(learnt).toBeGreaterThanOrEqual(Math.min(...recorded));
    expect(learnt).toBeLessThanOrEqual(Math.max(...recorded));
    await second.close();
  });

  it('moves an unreadable record aside and starts anyway', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    await createFileJobStore(jobsDir).load();
    await writeFile(join(jobsDir, 'broken.json'), '{"format":"adstudio-job/1","record":{"id":');
    const logs: string[] = [];
    const scheduler = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir), log: (m) => logs.push(m) });
    expect(scheduler.list()).toEqual([]);
    expect(await readdir(jobsDir)).toEqual(['broken.json.corrupt']);
    expect(logs.join('\n')).toMatch(/broken\.json: .*moved aside as broken\.json\.corrupt/);
    await scheduler.close();
  });

  it('a job whose model the engine no longer has fails after the restart with the reason', async () => {
    const work = await tempDir();
    const jobsDir = join(work, 'jobs');
    const spec = chain('old', ['C'], work);
    spec.stages[0]!.model = 'retired-model';
    const record: JobRecord = {
      id: 'job-old',
      spec,
      status: 'queued',
      progress: 0,
      etaSeconds: null,
      stages: [{ id: 's0', status: 'waiting', step: 0, totalSteps: 0, attempts: 0, startedAt: null, finishedAt: null, outputs: {}, madeBy: null, error: null }],
      createdAt: 1,
      startedAt: null,
      finishedAt: null,
      error: null,
      simulated: true,
    };
    await createFileJobStore(jobsDir).save(record);
    const scheduler = await testScheduler(testEngine(), { store: createFileJobStore(jobsDir) });
    expect(scheduler.get('job-old')?.status).toBe('failed');
    expect(scheduler.get('job-old')?.error?.message).toMatch(/After the restart the job cannot continue: .*needs model "retired-model", which the engine does not have/);
    await scheduler.close();
  });
});
