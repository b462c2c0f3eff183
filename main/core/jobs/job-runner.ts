import { randomUUID } from 'node:crypto';
import { AppError, type EventPayload, type EventSink } from '../../../preload/contract/index.js';
import { createProgressThrottle } from './progress-throttle.js';

interface RunningJob {
  controller: AbortController;
  settled: Promise<void>;
}

export interface JobContext {
  signal: AbortSignal;
  progress: (progress: number, message?: string) => void;
}

/** What a successful job reports besides its id and status. */
export type JobOutcome = Omit<EventPayload<'jobFinished'>, 'jobId' | 'status' | 'error'>;

/**
 * The job plumbing every main-side job kind shares: ids, cancellation, throttled monotonic progress,
 * and exactly one jobFinished per job (done, cancelled, or failed with a code and message).
 * Cancel is answered at once; work that is slow to stop finishes in the background, unreported.
 */
export class JobRunner {
  private readonly jobs = new Map<string, RunningJob>();
  private isClosed = false;

  constructor(
    private readonly emit: EventSink,
    /** Prefix of the message for unexpected failures, e.g. "The erase failed". */
    private readonly failurePrefix: string,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  launch(work: (ctx: JobContext) => Promise<JobOutcome>): { jobId: string } {
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: RunningJob = { controller, settled: Promise.resolve() };
    this.jobs.set(jobId, job);
    // Deferred a tick so the caller has the job id before the first event is sent.
    job.settled = new Promise<void>((r) => setImmediate(r))
      .then(() => this.run(jobId, controller.signal, work))
      .finally(() => this.jobs.delete(jobId));
    return { jobId };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job || job.controller.signal.aborted) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** Cancel everything and wait until every job has reported its end. */
  async dispose(): Promise<void> {
    this.isClosed = true;
    const running = [...this.jobs.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.settled));
  }

  private async run(jobId: string, signal: AbortSignal, work: (ctx: JobContext) => Promise<JobOutcome>): Promise<void> {
    const progress = createProgressThrottle((p, message) => this.emit('jobProgress', { jobId, progress: p, ...(message ? { message } : {}) }));
    // Forget the job before announcing its end, so a cancel after jobFinished answers false.
    const finish = (payload: Omit<EventPayload<'jobFinished'>, 'jobId'>) => {
      this.jobs.delete(jobId);
      this.emit('jobFinished', { jobId, ...payload });
    };
    try {
      progress.update(0, 'Preparing');
      const outcome = await work({ signal, progress: (p, m) => progress.update(p, m) });
      throwIfAborted(signal);
      progress.finish('Done');
      finish({ status: 'done', ...outcome });
    } catch (e) {
      if (signal.aborted || (e instanceof AppError && e.code === 'cancelled')) {
        finish({ status: 'cancelled' });
      } else {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'engine', message: `${this.failurePrefix}: ${(e as Error)?.message ?? String(e)}` };
        finish({ status: 'failed', error });
      }
    }
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
}
