import { parentPort } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../preload/contract/index.js';
import { ABORT_INDEX, type RunMessage, type WorkerReply } from './worker-protocol.js';

export interface JobControl {
  /** True once the main side asked to cancel; check it in loops (cheap: one atomic load). */
  isCancelled(): boolean;
  /** Reports progress 0..1; throttled here (≥ 1% steps or every 250 ms) and kept monotonic. */
  progress(progress: number, message?: string): void;
}

export interface JobOutput<R> {
  result: R;
  /** Buffers inside `result` to move (not copy) back to the main side. */
  transfer?: ArrayBuffer[];
}

export type JobHandler<P, R> = (payload: P, control: JobControl) => JobOutput<R> | Promise<JobOutput<R>>;

/** Worker-side half of WorkerPool: runs each 'run' message through `handler` and replies. */
export function serveJobs<P, R>(handler: JobHandler<P, R>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs() must run inside a worker thread');
  const post = (reply: WorkerReply<R>, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

  port.on('message', async (msg: RunMessage<P>) => {
    if (msg?.type !== 'run') return;
    const { id, abort } = msg;
    let last = 0;
    let lastAt = 0;
    const control: JobControl = {
      isCancelled: () => Atomics.load(abort, ABORT_INDEX) !== 0,
      progress(progress, message) {
        const now = Date.now();
        if (!(progress > last)) return;
        if (progress < 1 && progress - last < 0.01 && now - lastAt < 250) return;
        last = progress;
        lastAt = now;
        post({ type: 'progress', id, progress: Math.min(1, progress), ...(message ? { message } : {}) });
      },
    };
    try {
      const out = await handler(msg.payload, control);
      post({ type: 'done', id, result: out.result }, out.transfer);
    } catch (e) {
      const code: ErrorCode = e instanceof AppError && ERROR_CODES.includes(e.code) ? e.code : 'engine';
      const message = e instanceof Error ? e.message : String(e);
      post({ type: 'error', id, code, message: code === 'engine' && !(e instanceof AppError) ? `engine failed: ${message}` : message });
    }
  });
}
