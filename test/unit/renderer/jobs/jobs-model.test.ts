import { describe, expect, it } from 'vitest';
import { jobRecordSchema } from '../../../../preload/contract/jobs';
import { currentStage, jobDurationMs, jobResults, mergeJob, mergeList, splitJobs, type JobView } from '../../../../renderer/src/panels/jobs/jobs-model';

function job(id: string, over: Partial<JobView> = {}): JobView {
  return jobRecordSchema.parse({
    id,
    title: `job ${id}`,
    priority: 'batch',
    status: 'queued',
    progress: 0,
    etaSeconds: null,
    stages: [
      { id: 'cutout', kind: 'cutout', model: 'birefnet', status: 'waiting', step: 0, totalSteps: 0, attempts: 0, madeBy: null, error: null, outputs: {}, startedAt: null, finishedAt: null, note: null },
      { id: 'bg', kind: 'background', model: 'flux-dev', status: 'waiting', step: 0, totalSteps: 0, attempts: 0, madeBy: null, error: null, outputs: {}, startedAt: null, finishedAt: null, note: null },
    ],
    createdAt: 1000,
    startedAt: null,
    finishedAt: null,
    error: null,
    simulated: true,
    ...over,
  });
}

describe('Jobs panel model', () => {
  it('keeps the newest first and replaces a job by a later record', () => {
    let list = mergeJob([], job('a', { createdAt: 1 }));
    list = mergeJob(list, job('b', { createdAt: 2 }));
    expect(list.map((j) => j.id)).toEqual(['b', 'a']);
    list = mergeJob(list, job('a', { createdAt: 1, status: 'running', progress: 0.2 }));
    expect(list.find((j) => j.id === 'a')).toMatchObject({ status: 'running', progress: 0.2 });
  });

  it('never steps back to an older record that arrives late (a list answer crossing an event)', () => {
    const done = job('a', { status: 'done', progress: 1, finishedAt: 5000 });
    const stale = job('a', { status: 'running', progress: 0.4 });
    expect(mergeJob([done], stale)[0]).toBe(done);
    expect(mergeJob([job('a', { status: 'running', progress: 0.6 })], stale)[0]!.progress).toBe(0.6);
    // A list read before the job ended does not undo the event that said it ended.
    expect(mergeList([done], [stale])[0]).toBe(done);
    // A job submitted after the list was read (its event came first) stays; an ended one the list dropped goes.
    const fresh = job('new', { createdAt: 9000 });
    const old = job('old', { status: 'done', progress: 1, finishedAt: 10 });
    expect(mergeList([fresh, old], [stale]).map((j) => j.id)).toEqual(['new', 'a']);
  });

  it('splits active jobs (in run order) from finished ones (most recent first)', () => {
    const list = [
      job('q2', { createdAt: 30 }),
      job('r1', { createdAt: 20, status: 'running' }),
      job('d-old', { createdAt: 1, status: 'done', progress: 1, finishedAt: 100 }),
      job('f-new', { createdAt: 2, status: 'failed', finishedAt: 500 }),
      job('c', { createdAt: 3, status: 'cancelled', finishedAt: 300 }),
    ];
    const { active, history } = splitJobs(list);
    expect(active.map((j) => j.id)).toEqual(['r1', 'q2']);
    expect(history.map((j) => j.id)).toEqual(['f-new', 'c', 'd-old']);
  });

  it('names the current stage, the results (last stage first) and the duration', () => {
    const j = job('a', { status: 'running', startedAt: 2000 });
    j.stages[0] = { ...j.stages[0]!, status: 'done', outputs: { image: '/out/cutout.png' } };
    j.stages[1] = { ...j.stages[1]!, status: 'loading' };
    expect(currentStage(j)?.id).toBe('bg');
    j.stages[1] = { ...j.stages[1]!, status: 'done', outputs: { image: '/out/background.png' } };
    expect(jobResults(j)).toEqual([
      { stageKind: 'background', name: 'image', path: '/out/background.png' },
      { stageKind: 'cutout', name: 'image', path: '/out/cutout.png' },
    ]);
    expect(jobDurationMs(j)).toBeNull();
    expect(jobDurationMs({ ...j, finishedAt: 74_000 })).toBe(72_000);
    // Cancelled while still queued: counted from submission.
    expect(jobDurationMs(job('q', { status: 'cancelled', createdAt: 1000, finishedAt: 4000 }))).toBe(3000);
  });
});
