import { AppError, type EventSink, type Handlers, type JobRecordPayload, type MemoryViewPayload } from '../../../preload/contract/index.js';
import type { STAGE_KIND_NAMES } from '../../../preload/contract/index.js';
import type { StageKind } from '../../engine/stage-engine.js';
import type { JobRecord, JobScheduler, MemoryView } from '../scheduler/scheduler-types.js';

type SchedulerJobHandlers = Pick<Handlers, 'listJobs' | 'retryJob' | 'getJobsMemory'>;

/** The contract's stage kinds and the engine's must stay the same list (compile-time check). */
const KINDS_MATCH: [StageKind, (typeof STAGE_KIND_NAMES)[number]] extends [(typeof STAGE_KIND_NAMES)[number], StageKind] ? true : false = true;
void KINDS_MATCH;

/** The scheduler the services drive (ServicesOptions.scheduler). */
export interface SchedulerPort {
  scheduler: JobScheduler;
  /** Which engine it drives, shown with the VRAM bar: "embedded", "simulated-gpu", "adstudio-engine"… */
  engine: string;
  /** Runs after scheduler.close() in dispose(), e.g. to close the StageEngine the scheduler drives. */
  close?: () => Promise<void>;
  /**
   * A folder the scheduler's engine reads and writes. When set, the editor's erase runs through the
   * scheduler as an interactive job (files linked into this folder); otherwise it runs directly.
   */
  workspace?: string;
  /** Where a job starting now runs, as one consistent snapshot (a SchedulerHub's active engine); default: the three above. */
  current?(): ScheduledTarget;
}

/** Where one job runs: the scheduler, a host folder its engine reads and writes, and the engine's name. */
export interface ScheduledTarget {
  scheduler: JobScheduler;
  workspace: string;
  engine: string;
}

/** The job target of a port with a workspace (jobs then run through the scheduler), else undefined. */
export function scheduledTargetOf(port: SchedulerPort | undefined): (() => ScheduledTarget) | undefined {
  if (!port?.workspace) return undefined;
  return () => port.current?.() ?? { scheduler: port.scheduler, workspace: port.workspace!, engine: port.engine };
}

export interface SchedulerHandlersOptions {
  /** Least time between two progress-only jobUpdated events of one job (default 250 ms: ~4/s). */
  progressIntervalMs?: number;
  now?: () => number;
}

export interface SchedulerJobs {
  handlers: SchedulerJobHandlers;
  /** Cancels a scheduler job; null when the scheduler does not know the id (cancelJob then answers false). */
  cancel(jobId: string): Promise<{ cancelled: boolean } | null>;
  /** Stops the events, closes the scheduler and what it drives. */
  dispose(): Promise<void>;
}

const ACTIVE = new Set(['queued', 'running']);
const NO_SCHEDULER_MEMORY: MemoryViewPayload = { gpu: null, resident: [], simulated: false, engine: 'embedded' };

/**
 * The Jobs panel's channels over an optional JobScheduler (issue #6). Without one the panel is empty
 * and the VRAM bar says CPU only. Scheduler events become jobUpdated (progress-only changes at most
 * every `progressIntervalMs` per job, with the last one always delivered; status changes at once)
 * and jobsMemory.
 */
export function schedulerHandlers(port: SchedulerPort | undefined, emit: EventSink, options: SchedulerHandlersOptions = {}): SchedulerJobs {
  if (!port) {
    return {
      handlers: {
        listJobs: async () => [],
        retryJob: async ({ jobId }) => {
          throw new AppError('not-found', `There is no job ${jobId}: no job scheduler runs in this mode.`);
        },
        getJobsMemory: async () => NO_SCHEDULER_MEMORY,
      },
      cancel: async () => null,
      dispose: async () => {},
    };
  }
  // port.engine is read each time: a SchedulerHub's active engine changes with the person's choice.
  const { scheduler } = port;
  const throttle = createJobUpdateThrottle((job) => emit('jobUpdated', job), options.progressIntervalMs ?? 250, options.now);
  const off = scheduler.subscribe((event) => {
    try {
      if (event.type === 'job') throttle.push(toJobPayload(event.job));
      else if (event.type === 'memory') emit('jobsMemory', toMemoryPayload(event.memory, port.engine));
    } catch (e) {
      // A record the contract cannot carry must not stop the scheduler's other listeners.
      console.warn(`services: could not forward a scheduler event: ${(e as Error).message}`);
    }
  });
  let disposed: Promise<void> | null = null;

  return {
    handlers: {
      listJobs: async (request) => scheduler.list(request?.active ? { active: true } : undefined).map(toJobPayload),
      retryJob: async ({ jobId }) => {
        if (!scheduler.get(jobId)) throw new AppError('not-found', `There is no job ${jobId}; it may have left the history of the last finished jobs.`);
        return toJobPayload(await scheduler.retry(jobId));
      },
      getJobsMemory: async () => toMemoryPayload(scheduler.memory(), port.engine),
    },
    async cancel(jobId) {
      const before = scheduler.get(jobId);
      if (!before) return null;
      if (!ACTIVE.has(before.status)) return { cancelled: false };
      const after = await scheduler.cancel(jobId);
      return { cancelled: after.status === 'cancelled' };
    },
    dispose() {
      disposed ??= (async () => {
        off();
        throttle.dispose();
        await scheduler.close();
        await port.close?.();
      })();
      return disposed;
    },
  };
}

/** What the renderer sees of a job: no input paths (it has no use for them), outputs as results unless the submitter removes them. */
export function toJobPayload(record: JobRecord): JobRecordPayload {
  return {
    id: record.id,
    title: clip(record.spec.title, 300),
    priority: record.spec.priority,
    status: record.status,
    progress: Math.min(1, Math.max(0, Number.isFinite(record.progress) ? record.progress : 0)),
    etaSeconds: record.etaSeconds === null || !Number.isFinite(record.etaSeconds) ? null : Math.max(0, record.etaSeconds),
    stages: record.spec.stages.slice(0, 64).map((spec, i) => {
      const stage = record.stages[i];
      return {
        id: clip(spec.id, 64),
        kind: spec.kind,
        model: spec.model === null ? null : clip(spec.model, 128),
        status: stage?.status ?? 'waiting',
        step: Math.max(0, stage?.step ?? 0),
        totalSteps: Math.max(0, stage?.totalSteps ?? 0),
        attempts: stage?.attempts ?? 0,
        madeBy: stage?.madeBy ? clip(stage.madeBy, 200) : null,
        error: stage?.error ? errorPayload(stage.error) : null,
        outputs: record.spec.outputsKept === false ? {} : Object.fromEntries(Object.entries(stage?.outputs ?? {}).map(([name, path]) => [clip(name, 64), path])),
        startedAt: stage?.startedAt ?? null,
        finishedAt: stage?.finishedAt ?? null,
        note: stage?.note ? clip(stage.note, 500) : null,
      };
    }),
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    error: record.error ? errorPayload(record.error) : null,
    simulated: record.simulated,
    ...(record.engine ? { engine: clip(record.engine, 64) } : {}),
  };
}

export function toMemoryPayload(view: MemoryView, engine: string): MemoryViewPayload {
  return {
    gpu: view.gpu ? { ...view.gpu } : null,
    resident: view.resident.slice(0, 64).map((m) => ({ id: clip(m.id, 128), label: clip(m.label, 200), device: m.device, footprintMb: Math.max(0, m.footprintMb) })),
    // Either saying so is enough: a simulated card must never pass for a real one.
    simulated: view.simulated || (view.gpu?.simulated ?? false),
    engine: clip(engine, 64),
  };
}

function errorPayload(e: { code: string; message: string }): { code: string; message: string } {
  return { code: clip(e.code, 64), message: clip(e.message, 2000) };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Per job: a change of the job's or a stage's status goes out at once; progress-only changes at most
 * every `intervalMs`, the newest one delivered at the end of the interval (never lost).
 */
export function createJobUpdateThrottle(send: (job: JobRecordPayload) => void, intervalMs: number, now: () => number = () => performance.now()) {
  interface Slot {
    statusKey: string;
    sentAt: number;
    pending: JobRecordPayload | null;
    timer: NodeJS.Timeout | null;
  }
  const slots = new Map<string, Slot>();
  const statusKey = (job: JobRecordPayload) => `${job.status}|${job.stages.map((s) => `${s.status}:${s.attempts}`).join(',')}`;

  const flush = (id: string, slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.pending;
    slot.pending = null;
    if (!job) return;
    slot.sentAt = now();
    send(job);
    // Finished jobs change no more: forget them.
    if (!ACTIVE.has(job.status)) slots.delete(id);
  };

  return {
    push(job: JobRecordPayload): void {
      let slot = slots.get(job.id);
      const key = statusKey(job);
      if (!slot) {
        slot = { statusKey: key, sentAt: -Infinity, pending: null, timer: null };
        slots.set(job.id, slot);
      }
      const statusChanged = slot.statusKey !== key;
      slot.statusKey = key;
      slot.pending = job;
      const wait = slot.sentAt + intervalMs - now();
      if (statusChanged || wait <= 0 || !ACTIVE.has(job.status)) return flush(job.id, slot);
      if (!slot.timer) {
        const s = slot;
        s.timer = setTimeout(() => flush(job.id, s), wait);
        s.timer.unref?.();
      }
    },
    dispose(): void {
      for (const slot of slots.values()) if (slot.timer) clearTimeout(slot.timer);
      slots.clear();
    },
  };
}
