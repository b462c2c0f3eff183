import { copyFile } from 'node:fs/promises';
import { AppError } from '../../../../../preload/contract/index.js';
import type { JobRecord, JobScheduler, JobSpec, SchedulerEvent } from '../../../../../main/core/scheduler/scheduler-types.js';
import type { ModelInfo, StageEngine, StageRequest } from '../../../../../main/engine/stage-engine.js';

/**
 * Test double of a StageEngine: every stage copies its input "image" to its output "image" in
 * `steps` steps of `stepMs` (params override both), honouring cancel between steps. Two models, one
 * GPU (counts against the budget) and one CPU. Real files, no pixels computed.
 */
export function createCopyEngineDouble(o: { simulated?: boolean; stepMs?: number; steps?: number; loadMs?: number } = {}): StageEngine & { loads: string[] } {
  const models: ModelInfo[] = [
    { id: 'copy-gpu', stage: 'inpaint', label: 'Copy (GPU)', device: 'gpu', footprintMb: 6000, observedPeakMb: null, loadMs: o.loadMs ?? 30, unloadMs: 5, resident: false },
    { id: 'copy-cpu', stage: 'detect_text', label: 'Copy (CPU)', device: 'cpu', footprintMb: 300, observedPeakMb: null, loadMs: 5, unloadMs: 5, resident: false },
  ];
  const loads: string[] = [];
  const find = (id: string) => {
    const m = models.find((x) => x.id === id);
    if (!m) throw new AppError('not-found', `no model ${id}`);
    return m;
  };
  const used = () => models.filter((m) => m.resident && m.device === 'gpu').reduce((s, m) => s + m.footprintMb, 0);
  return {
    loads,
    capabilities: async () => ({ engine: 'copy-double', version: '0', protocol: 'adstudio/1', simulated: o.simulated ?? false, stages: ['inpaint', 'detect_text'], inpaintMethods: ['copy'] }),
    health: async () => ({ status: 'healthy', simulated: o.simulated ?? false, gpu: { device: 'gpu', totalMb: 24_000, usedMb: used(), budgetMb: 22_000, simulated: o.simulated ?? false } }),
    models: async () => models.map((m) => ({ ...m })),
    async load(id, options) {
      const m = find(id);
      if (m.resident) return;
      await sleep(m.loadMs, options?.signal);
      m.resident = true;
      loads.push(id);
    },
    async unload(id) {
      find(id).resident = false;
    },
    memory: async () => ({ device: 'gpu', totalMb: 24_000, usedMb: used(), budgetMb: 22_000, simulated: o.simulated ?? false }),
    async runStage(request: StageRequest, { signal, onProgress }) {
      if (request.model !== null && !find(request.model).resident) throw new AppError('engine', `model ${request.model} is not resident`);
      const steps = Number(request.params?.steps ?? o.steps ?? 4);
      const stepMs = Number(request.params?.stepMs ?? o.stepMs ?? 20);
      if (request.params?.fail) throw new AppError('bad-image', String(request.params.fail));
      for (let i = 1; i <= steps; i++) {
        await sleep(stepMs, signal);
        onProgress?.(i, steps, `step ${i}`);
      }
      const from = request.inputs.image;
      const to = request.outputs.image;
      if (!from || !to) throw new AppError('bad-request', 'copy needs an input and an output named "image"');
      await copyFile(from, to);
      return { outputs: { image: to }, madeBy: `copy:${request.model ?? 'none'}` };
    },
    close: async () => {},
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('cancelled', 'cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(t);
      reject(new AppError('cancelled', 'cancelled'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Test double of a JobScheduler: runs jobs one at a time, stage after stage, loading each stage's
 * model first. Enough to check the server's job routes and event relay, not a planner.
 */
export function createSerialSchedulerDouble(engine: StageEngine): JobScheduler {
  const jobs = new Map<string, JobRecord>();
  const controllers = new Map<string, AbortController>();
  const listeners = new Set<(e: SchedulerEvent) => void>();
  const done = new Map<string, Promise<void>>();
  let queue: Promise<void> = Promise.resolve();
  let n = 0;
  const emit = (job: JobRecord) => {
    for (const l of listeners) l({ type: 'job', job: structuredClone(job) });
  };

  async function run(job: JobRecord, signal: AbortSignal): Promise<void> {
    if (job.status === 'cancelled') return;
    job.status = 'running';
    job.startedAt = Date.now();
    emit(job);
    const produced = new Map<string, Record<string, string>>();
    try {
      for (const [i, spec] of job.spec.stages.entries()) {
        const rec = job.stages[i]!;
        if (spec.model) await engine.load(spec.model, { signal });
        rec.status = 'running';
        rec.startedAt = Date.now();
        const inputs = Object.fromEntries(Object.entries(spec.inputs).map(([k, v]) => [k, typeof v === 'string' ? v : produced.get(v.from)![v.output]!]));
        const result = await engine.runStage(
          { kind: spec.kind, model: spec.model, inputs, outputs: spec.outputs, params: spec.params ?? {} },
          {
            signal,
            onProgress: (step, total) => {
              rec.step = step;
              rec.totalSteps = total;
              job.progress = Math.max(job.progress, (i + step / total) / job.spec.stages.length);
              emit(job);
            },
          },
        );
        produced.set(spec.id, result.outputs);
        Object.assign(rec, { status: 'done', outputs: result.outputs, madeBy: result.madeBy, finishedAt: Date.now() });
      }
      Object.assign(job, { status: 'done', progress: 1, finishedAt: Date.now() });
    } catch (e) {
      const cancelled = signal.aborted;
      const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'internal' as const, message: String(e) };
      Object.assign(job, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? { code: 'cancelled', message: 'cancelled' } : error, finishedAt: Date.now() });
      for (const s of job.stages) if (s.status === 'running' || s.status === 'waiting') s.status = cancelled ? 'cancelled' : 'failed';
    }
    emit(job);
  }

  return {
    async submit(spec: JobSpec) {
      const job: JobRecord = {
        id: `job-${++n}`,
        spec,
        status: 'queued',
        progress: 0,
        etaSeconds: null,
        stages: spec.stages.map((s) => ({ id: s.id, status: 'waiting', step: 0, totalSteps: 0, attempts: 0, startedAt: null, finishedAt: null, outputs: {}, madeBy: null, error: null })),
        createdAt: Date.now(),
        startedAt: null,
        finishedAt: null,
        error: null,
        simulated: false,
      };
      jobs.set(job.id, job);
      const controller = new AbortController();
      controllers.set(job.id, controller);
      emit(job);
      const p = queue.then(() => run(job, controller.signal));
      queue = p;
      done.set(job.id, p);
      return structuredClone(job);
    },
    get: (id) => (jobs.has(id) ? structuredClone(jobs.get(id)!) : null),
    list: (filter) => [...jobs.values()].filter((j) => !filter?.active || j.status === 'queued' || j.status === 'running').reverse().map((j) => structuredClone(j)),
    async cancel(id) {
      const job = jobs.get(id)!;
      if (job.status === 'queued') {
        Object.assign(job, { status: 'cancelled', finishedAt: Date.now() });
        emit(job);
      }
      controllers.get(id)?.abort();
      await done.get(id);
      return structuredClone(job);
    },
    async retry(id) {
      return this.submit(jobs.get(id)!.spec);
    },
    memory: () => ({ gpu: null, resident: [], simulated: false }),
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      for (const c of controllers.values()) c.abort();
      await queue.catch(() => undefined);
    },
  };
}
