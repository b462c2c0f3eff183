import { AppError } from '../../../../../preload/contract/index.js';
import type { JobRecord, JobScheduler, JobSpec, MemoryView, SchedulerEvent } from '../../../../../main/core/scheduler/scheduler-types.js';

/**
 * A JobScheduler test double: it keeps records in memory and changes them only when the test says so
 * (progress, status, memory), announcing each change to its subscribers like the real scheduler.
 */
export interface SchedulerDouble extends JobScheduler {
  /** Replace part of a job's record and announce it. */
  update(jobId: string, patch: Partial<JobRecord>): JobRecord;
  setMemory(memory: MemoryView): void;
  readonly closed: boolean;
  listenerCount(): number;
}

export function sampleSpec(title = '글자 지우기 — ad-01.png'): JobSpec {
  return {
    title,
    priority: 'batch',
    stages: [
      { id: 'detect', kind: 'detect_text', model: 'ppocr-det', inputs: { image: '/secret/in/ad-01.png' }, outputs: { mask: '/work/out/mask.png' } },
      { id: 'erase', kind: 'inpaint', model: 'lama', inputs: { image: '/secret/in/ad-01.png', mask: { from: 'detect', output: 'mask' } }, outputs: { image: '/work/out/erased.png' } },
    ],
  };
}

export function schedulerDouble(memory: MemoryView = { gpu: null, resident: [], simulated: false }): SchedulerDouble {
  const records = new Map<string, JobRecord>();
  const listeners = new Set<(event: SchedulerEvent) => void>();
  let view = memory;
  let seq = 0;
  let closed = false;
  const announce = (event: SchedulerEvent) => listeners.forEach((l) => l(event));
  const store = (record: JobRecord) => {
    records.set(record.id, record);
    announce({ type: 'job', job: structuredClone(record) });
    return structuredClone(record);
  };
  const fresh = (spec: JobSpec): JobRecord => ({
    id: `job-${++seq}`,
    spec: structuredClone(spec),
    status: 'queued',
    progress: 0,
    etaSeconds: null,
    stages: spec.stages.map((s) => ({ id: s.id, status: 'waiting', step: 0, totalSteps: 0, attempts: 0, startedAt: null, finishedAt: null, outputs: {}, madeBy: null, error: null })),
    createdAt: 1_700_000_000_000 + seq,
    startedAt: null,
    finishedAt: null,
    error: null,
    simulated: view.simulated,
  });
  const known = (jobId: string) => {
    const r = records.get(jobId);
    if (!r) throw new AppError('not-found', `There is no job ${jobId}.`);
    return r;
  };

  return {
    async submit(spec) {
      return store(fresh(spec));
    },
    get: (jobId) => (records.has(jobId) ? structuredClone(records.get(jobId)!) : null),
    list(filter) {
      const all = [...records.values()].filter((r) => !filter?.active || r.status === 'queued' || r.status === 'running');
      return all.sort((a, b) => b.createdAt - a.createdAt).map((r) => structuredClone(r));
    },
    async cancel(jobId) {
      const r = known(jobId);
      if (r.status !== 'queued' && r.status !== 'running') return structuredClone(r);
      return store({ ...r, status: 'cancelled', stages: r.stages.map((s) => (s.status === 'done' ? s : { ...s, status: 'cancelled' })), finishedAt: r.createdAt + 5_000 });
    },
    async retry(jobId) {
      const r = known(jobId);
      if (r.status !== 'failed' && r.status !== 'cancelled') throw new AppError('bad-request', 'only failed or cancelled jobs can be retried');
      return store(fresh(r.spec));
    },
    memory: () => structuredClone(view),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
    },
    update(jobId, patch) {
      return store({ ...known(jobId), ...structuredClone(patch) });
    },
    setMemory(next) {
      view = next;
      announce({ type: 'memory', memory: structuredClone(next) });
    },
    get closed() {
      return closed;
    },
    listenerCount: () => listeners.size,
  };
}
