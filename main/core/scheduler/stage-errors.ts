import { AppError, type AppErrorShape } from '../../../preload/contract/index.js';

/**
 * What a failed stage attempt means for the scheduler:
 *  - cancelled: the user cancelled the job;
 *  - busy: transient (AppError 'engine-busy'): retry after a backoff;
 *  - crash: the engine failed ('engine', 'internal', an unexpected throw, or it stopped the run on
 *    its own): run the stage once more after the engine is healthy, then fail;
 *  - fatal: the stage itself is wrong (bad image, bad path, ...): fail now, retrying cannot help.
 */
export type StageFailure = { kind: 'cancelled' | 'busy' | 'crash' | 'fatal'; error: AppErrorShape };

export function classifyStageError(e: unknown, cancelRequested: boolean): StageFailure {
  const error = toShape(e);
  if (cancelRequested) return { kind: 'cancelled', error: { code: 'cancelled', message: 'Cancelled.' } };
  switch (error.code) {
    case 'engine-busy':
      return { kind: 'busy', error };
    case 'engine':
    case 'internal':
    case 'cancelled':
      return { kind: 'crash', error };
    default:
      return { kind: 'fatal', error };
  }
}

export function toShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  if (e instanceof Error && e.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'engine', message: message || 'The engine failed without saying why.' };
}
