import type { LamaStats } from './run-lama.js';
import type { LamaContract, LamaDevice, LamaHdOptions } from './lama-options.js';

/** One LaMa erase in the worker (see workers/lama-worker.ts). `image` and `mask` are moved in. */
export interface LamaJob {
  kind: 'inpaint';
  width: number;
  height: number;
  channels: 3 | 4;
  /** width·height·channels; filled in place and moved back. */
  image: Uint8Array;
  /** width·height, >= 128 = fill. */
  mask: Uint8Array;
  modelPath: string;
  contract: LamaContract;
  device: LamaDevice;
  hd: LamaHdOptions;
  /** ONNX Runtime threads; default all cores. */
  threads?: number;
}

/** What a session is opened with; jobs with the same session key share one loaded network. */
export type LamaSessionKey = Pick<LamaJob, 'modelPath' | 'contract' | 'device' | 'threads'>;

/** Opens the network ahead of the first erase (the scheduler's explicit load); answers with the provider used. */
export interface LamaLoadJob extends LamaSessionKey {
  kind: 'load';
}

export interface LamaLoadResult {
  provider: 'cpu' | 'cuda';
}

/** Releases the network once no native work is left (the scheduler's explicit unload). */
export interface LamaReleaseJob {
  kind: 'release';
}

/**
 * Resolves once no ONNX Runtime work (a model load, a run a cancelled job stopped waiting for) is
 * left in the worker: terminating a worker during such work aborts the whole process, so the
 * inpainter drains before it closes (as the text detector does).
 */
export interface LamaDrainJob {
  kind: 'drain';
}

export interface LamaJobResult extends LamaStats {
  image: Uint8Array;
  provider: 'cpu' | 'cuda';
}
