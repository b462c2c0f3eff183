import { AppError } from '../../../preload/contract/index.js';
import type { ModelSpec } from '../../core/models/model-registry.js';

/** Where the network runs: CPU (default), CUDA (fails clearly when not available), or CUDA when available. */
export type LamaDevice = 'cpu' | 'cuda' | 'auto';
export const LAMA_DEVICES: readonly LamaDevice[] = ['cpu', 'cuda', 'auto'];

/**
 * The "crop" HD strategy of lama-cleaner (IOPaint), adapted to a network with a fixed 512² input:
 * an image whose longer side is at most `cropTriggerSize` is inpainted whole (padded to the input,
 * scaled down only when larger); a larger one only in windows around its mask regions, each with
 * `cropMargin` known pixels around the region, at full resolution when that fits the input and scaled
 * down when the region itself is too big ("resize"). Long regions (a line of text) are covered by
 * several windows along their length instead of being squeezed into one.
 */
export interface LamaHdOptions {
  /** Default 512 (= the network input: nothing is scaled unless a region needs it). lama-cleaner uses 800. */
  cropTriggerSize?: number;
  /** Default 128, lama-cleaner's. */
  cropMargin?: number;
}

export const DEFAULT_HD: Required<LamaHdOptions> = { cropTriggerSize: 512, cropMargin: 128 };

/** Tensor names and size of a LaMa-style network, from its registry entry. */
export interface LamaContract {
  /** Input side (square), e.g. 512. */
  size: number;
  imageInput: string;
  maskInput: string;
  output: string;
  /** Output value for full intensity: 255 (pixel units) or 1. */
  outputMax: number;
}

/** Reads the contract from a registry entry: the 3-channel input is the image, the 1-channel one the mask. */
export function contractFromSpec(spec: ModelSpec): LamaContract {
  const image = spec.io.inputs.find((t) => t.shape[1] === 3);
  const mask = spec.io.inputs.find((t) => t.shape[1] === 1);
  const output = spec.io.outputs.find((t) => t.shape[1] === 3);
  const size = image?.shape[2];
  if (!image || !mask || !output || !size || image.shape[3] !== size) {
    throw new AppError('engine', `model "${spec.id}" does not declare LaMa's contract (image [1,3,S,S], mask [1,1,S,S], output [1,3,S,S])`);
  }
  return { size, imageInput: image.name, maskInput: mask.name, output: output.name, outputMax: output.range[1] };
}

/**
 * ADSTUDIO_LAMA_DEVICE=cpu|cuda|auto; default cpu. Set to auto by the engine image built with
 * `--build-arg ORT_CUDA=1`, and passed as auto into the adstudio-engine container when its profile asks
 * for the GPU (engines.json: profiles.adstudio-engine.gpu = true); nothing sets it otherwise.
 */
export function deviceFromEnv(env: Record<string, string | undefined> = process.env): LamaDevice {
  const v = env.ADSTUDIO_LAMA_DEVICE?.trim().toLowerCase();
  if (!v) return 'cpu';
  if ((LAMA_DEVICES as readonly string[]).includes(v)) return v as LamaDevice;
  throw new AppError('bad-request', `ADSTUDIO_LAMA_DEVICE must be cpu, cuda or auto, not "${env.ADSTUDIO_LAMA_DEVICE}"`);
}
