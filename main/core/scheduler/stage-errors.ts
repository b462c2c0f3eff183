import { AppError, type AppErrorShape } from '../../../preload/contract/index.js';

/**
 * What a failed stage attempt means for the scheduler:
 *  - cancelled: the user cancelled the job;
 *  - busy: transient (AppError 'engine-busy'): retry after a backoff;
 *  - connection-lost: the engine lost touch with a run that may still be going (RunConnectionLost):
 *    follow the same run again by its id rather than start a second one;
 *  - oom: loading the model ran out of memory (OutOfMemoryAtLoad): make room and try once more;
 *  - crash: the engine failed ('engine', 'internal', an unexpected throw, or it stopped the run on
 *    its own): run the stage once more after the engine is healthy, then fail;
 *  - fatal: the stage itself is wrong (bad image, bad path, ...), or retrying was already given up:
 *    fail now.
 */
export type StageFailure = { kind: 'cancelled' | 'busy' | 'connection-lost' | 'oom' | 'crash' | 'fatal'; error: AppErrorShape };

/**
 * An engine that runs stages elsewhere (the HTTP engine) lost the connection while a run was going,
 * or never heard back from the request that starts it: the run may still be running there. Transient
 * ('engine-busy'); the scheduler keeps the run id and reattaches instead of starting the stage again.
 */
export class RunConnectionLost extends AppError {
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super('engine-busy', message);
    this.name = 'RunConnectionLost';
  }
}

/** Loading a model ran out of memory (the message is the engine's); its estimate was raised to `estimateMb` (ModelResidency.load). */
export class OutOfMemoryAtLoad extends AppError {
  constructor(
    readonly model: string,
    readonly estimateMb: number,
    message: string,
  ) {
    super('engine', message);
    this.name = 'OutOfMemoryAtLoad';
  }
}

/** Retrying was given up on purpose (e.g. reattaching a run that may still be going): fail, do not retry again. */
export class GaveUp extends AppError {
  constructor(code: AppErrorShape['code'], message: string) {
    super(code, message);
    this.name = 'GaveUp';
  }
}

/** The wording engines use for "not enough device memory" (CUDA, PyTorch, ONNX Runtime, the simulated engine). */
const OUT_OF_MEMORY = /out of memory|\bOOM\b|OutOfMemoryError|failed to allocate memory|CUDNN_STATUS_ALLOC_FAILED|cudaErrorMemoryAllocation/i;

/** True when an engine error says it ran out of (GPU) memory. */
export function isOutOfMemory(e: unknown): boolean {
  const error = toShape(e);
  return error.code !== 'cancelled' && OUT_OF_MEMORY.test(error.message);
}

export function classifyStageError(e: unknown, cancelRequested: boolean): StageFailure {
  const error = toShape(e);
  if (cancelRequested) return { kind: 'cancelled', error: { code: 'cancelled', message: 'Cancelled.' } };
  if (e instanceof GaveUp) return { kind: 'fatal', error };
  if (e instanceof RunConnectionLost) return { kind: 'connection-lost', error };
  if (e instanceof OutOfMemoryAtLoad) return { kind: 'oom', error };
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
