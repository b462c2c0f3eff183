import { AppError } from '../../../preload/contract/index.js';

/**
 * Bookkeeping for ONNX Runtime work inside a worker (text detection, LaMa, cut-out). A network run cannot be interrupted, and
 * terminating a worker while one runs aborts the whole process, so a cancelled job stops *waiting*
 * at once while the run finishes in the background; the next job (and the drain before close) waits
 * for it.
 */
export class NativeWork {
  private readonly running = new Set<Promise<void>>();

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  idle(): Promise<unknown> {
    return Promise.all([...this.running]);
  }
}

/** Resolves like `work`, but rejects with 'cancelled' within a few ms of `isCancelled()` turning true. */
export function untilCancelled<T>(work: Promise<T>, isCancelled: () => boolean, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setInterval(() => {
      if (!isCancelled()) return;
      clearInterval(timer);
      reject(new AppError('cancelled', `${what} was cancelled`));
    }, 5);
    work.then(
      (v) => {
        clearInterval(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearInterval(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
