import type { ErrorCode } from '../../../preload/contract/index.js';

/**
 * Messages between WorkerPool (main side) and serveJobs (worker side). One job at a time per worker.
 * `abort` is a 1-element Int32Array over a SharedArrayBuffer: the main side stores 1 to cancel and the
 * job's loops read it, so cancelling needs no message round-trip through a busy worker's event loop.
 */
export interface RunMessage<P> {
  type: 'run';
  id: number;
  payload: P;
  abort: Int32Array;
}

export type WorkerReply<R> =
  | { type: 'progress'; id: number; progress: number; message?: string }
  | { type: 'done'; id: number; result: R }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

/** Set by the main side in RunMessage.abort[ABORT_INDEX] to cancel. */
export const ABORT_INDEX = 0;
