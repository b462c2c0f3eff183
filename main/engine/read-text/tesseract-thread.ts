import { Worker } from 'node:worker_threads';
import { AppError } from '../../../preload/contract/index.js';

/**
 * One tesseract.js worker thread, driven with the same messages tesseract.js's createWorker sends
 * (src/createWorker.js → src/worker-script/index.js in tesseract.js 7: `{workerId, jobId, action,
 * payload}` in, `{jobId, action, status: 'resolve' | 'reject' | 'progress', data}` out).
 *
 * Why not createWorker itself: its terminate() leaves in-flight jobs pending forever, a crash of the
 * worker (say a missing wasm file) is an unhandled 'error' event that takes the whole process down,
 * and a rejected job with no errorHandler is thrown from a message callback. Here every failure
 * becomes a rejected promise, and terminate() settles everything at once.
 */
export class TesseractThread {
  private readonly worker: Worker;
  private readonly pending = new Map<string, Pending>();
  private nextJob = 0;
  private failure: AppError | null = null;
  /** Tesseract's own prints (warnings), kept for error messages instead of polluting stdout. */
  private lastOutput: string[] = [];

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath, { stdout: true, stderr: true });
    this.worker.unref(); // an idle reader must not keep a CLI alive; ref'd while jobs run
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        this.lastOutput.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
        this.lastOutput = this.lastOutput.slice(-5);
      });
    }
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    this.worker.on('error', (err: Error) => this.fail(new AppError('engine', `the text reader failed: ${err.message}${this.outputHint()}`)));
    this.worker.on('exit', (code) => this.fail(new AppError('engine', `the text reader stopped unexpectedly (exit code ${code})${this.outputHint()}`)));
  }

  /** Runs one action in the worker; progress messages (0..1 from Tesseract) go to onProgress. */
  run<T>(action: Action, payload: unknown, onProgress?: (progress: number) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const jobId = `job-${++this.nextJob}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(jobId, { resolve: resolve as (data: unknown) => void, reject, onProgress });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ workerId: 'adstudio-read-text', jobId, action, payload });
    });
  }

  /** Stops the thread now (safe: Tesseract is plain wasm in its own isolate); pending jobs reject with `reason`. */
  async terminate(reason: AppError): Promise<void> {
    this.fail(reason);
    await this.worker.terminate().catch(() => undefined);
  }

  /** Whether a job is in flight (a cancel must then terminate the thread to stop it). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  private onReply(reply: Reply): void {
    const job = this.pending.get(reply.jobId);
    if (!job) return; // e.g. the resolve tesseract.js sends after rejecting a failed initialize
    if (reply.status === 'progress') {
      const p = (reply.data as { progress?: unknown } | undefined)?.progress;
      if (typeof p === 'number' && Number.isFinite(p)) job.onProgress?.(Math.min(1, Math.max(0, p)));
      return;
    }
    this.settle(reply.jobId);
    if (reply.status === 'resolve') job.resolve(reply.data);
    else job.reject(new AppError('engine', `the text reader failed: ${String(reply.data)}${this.outputHint()}`));
  }

  private fail(error: AppError): void {
    this.failure ??= error;
    for (const [jobId, job] of [...this.pending]) {
      this.settle(jobId);
      job.reject(this.failure);
    }
  }

  private settle(jobId: string): void {
    this.pending.delete(jobId);
    if (this.pending.size === 0) this.worker.unref();
  }

  private outputHint(): string {
    return this.lastOutput.length ? ` (${this.lastOutput.join(' / ')})` : '';
  }
}

type Action = 'load' | 'loadLanguage' | 'initialize' | 'recognize';

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((progress: number) => void) | undefined;
}

interface Reply {
  jobId: string;
  action: string;
  status: 'resolve' | 'reject' | 'progress';
  data: unknown;
}
