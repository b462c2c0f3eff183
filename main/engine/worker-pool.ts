import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../preload/contract/index.js';
import { startWorker } from './worker-script.js';
import { ABORT_INDEX, type RunMessage, type WorkerReply } from './workers/worker-protocol.js';

export interface WorkerPoolOptions {
  /** Worker entry (see workerScriptUrl); it must call serveJobs(). */
  script: URL;
  /** Shown in error messages, e.g. "inpainting". */
  label: string;
  /** Workers kept at most; default min(2, cores). */
  size?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** 0..1, monotonic (the pool drops anything lower than what it already reported). */
  onProgress?: (progress: number, message?: string) => void;
  /** Buffers inside the payload to move into the worker (they become unusable on this side). */
  transfer?: ArrayBuffer[];
}

interface Job {
  id: number;
  payload: unknown;
  opts: RunOptions;
  abort: Int32Array;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  settled: boolean;
  progress: number;
  cleanup: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  dead: boolean;
}

/**
 * A few long-lived worker threads running one job each at a time, FIFO queue for the rest.
 * Cancelling sets the job's shared abort flag; a job that has not stopped after `cancelGraceMs` has its
 * worker terminated (and replaced on demand), so cancel always completes promptly. A worker that
 * crashes or exits fails its job with AppError('engine'), never leaves the promise hanging.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  private readonly grace: number;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
    this.grace = options.cancelGraceMs ?? 40;
  }

  run<P, R>(payload: P, opts: RunOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('engine', `the ${this.options.label} engine is closed`));
    if (opts.signal?.aborted) return Promise.reject(cancelledError(this.options.label));
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        payload,
        opts,
        abort: new Int32Array(new SharedArrayBuffer(4)),
        resolve: resolve as (v: unknown) => void,
        reject,
        settled: false,
        progress: 0,
        cleanup: () => {},
      };
      const onAbort = () => this.cancel(job);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      job.cleanup = () => opts.signal?.removeEventListener('abort', onAbort);
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates every worker; queued and running jobs fail with AppError('cancelled'). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, cancelledError(this.options.label));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.dead = true;
      if (slot.job) this.settle(slot.job, cancelledError(this.options.label));
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => !s.job && !s.dead);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const msg: RunMessage<unknown> = { type: 'run', id: job.id, payload: job.payload, abort: job.abort };
      try {
        slot.worker.postMessage(msg, job.opts.transfer ?? []);
      } catch (e) {
        // e.g. a payload that cannot be cloned: the job fails, the worker stays available.
        slot.job = null;
        slot.worker.unref();
        this.settle(job, new AppError('engine', `could not send the job to the ${this.options.label} worker: ${(e as Error).message}`));
      }
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.options.script, { name: `adstudio-${this.options.label}` });
    const slot: Slot = { worker, job: null, dead: false };
    this.slots.push(slot);
    const label = this.options.label;

    worker.on('message', (reply: WorkerReply<unknown>) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      if (reply.type === 'progress') {
        if (reply.progress > job.progress && !job.settled) {
          job.progress = reply.progress;
          job.opts.onProgress?.(reply.progress, reply.message);
        }
        return;
      }
      slot.job = null;
      if (!slot.dead) slot.worker.unref();
      // A job that finished just as it was cancelled still counts as cancelled: the caller asked so.
      if (job.opts.signal?.aborted || (reply.type === 'error' && reply.code === 'cancelled')) this.settle(job, cancelledError(label));
      else if (reply.type === 'done') this.settle(job, null, reply.result);
      else this.settle(job, new AppError(reply.code, reply.message));
      this.pump();
    });
    worker.on('error', (err) => {
      this.retire(slot, new AppError('engine', `the ${label} worker crashed: ${err.message}`));
    });
    worker.on('messageerror', (err) => {
      this.retire(slot, new AppError('engine', `the ${label} worker sent an unreadable message: ${err.message}`));
    });
    worker.on('exit', (code) => {
      this.retire(slot, new AppError('engine', `the ${label} worker stopped unexpectedly (exit code ${code})`));
    });
    return slot;
  }

  /** Removes a dead worker; its running job (if not already settled) fails with `error`. */
  private retire(slot: Slot, error: AppError): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const wasDead = slot.dead;
    slot.dead = true;
    const job = slot.job;
    slot.job = null;
    if (job) this.settle(job, error);
    if (!wasDead) void slot.worker.terminate().catch(() => 0);
    this.pump();
  }

  private cancel(job: Job): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, cancelledError(this.options.label));
      return;
    }
    Atomics.store(job.abort, ABORT_INDEX, 1);
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    // Cooperative stop first; the worker's 'cancelled' reply settles the job. Otherwise, terminate it.
    const timer = setTimeout(() => {
      if (job.settled || slot.job !== job) return;
      this.settle(job, cancelledError(this.options.label));
      this.retire(slot, cancelledError(this.options.label));
    }, this.grace);
    timer.unref?.();
  }

  private settle(job: Job, error: Error | null, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    if (error) job.reject(error);
    else job.resolve(value);
  }
}

function cancelledError(label: string): AppError {
  return new AppError('cancelled', `${label} was cancelled`);
}
