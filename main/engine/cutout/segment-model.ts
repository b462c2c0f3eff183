import { availableParallelism } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../../preload/contract/index.js';
import { resizePlane } from '../compose/raster/resize.js';
import { assembleModel, locateModel } from './model-files.js';
import type { CutoutModel } from './types.js';

/**
 * IS-Net (DIS) salient-object segmentation on ONNX Runtime, CPU. The exported graph has a fixed
 * input "input" of 1×3×1024×1024 (checked from the session's metadata) and returns the foreground
 * probability "output", 1×1×1024×1024, already through a sigmoid. Pre-processing is the network's
 * own convention (DIS: RGB in [0, 1] minus 0.5, std 1): the image is squeezed to 1024² regardless of
 * its aspect ratio, as it was trained, and the probability map is stretched back to the image.
 */
export const MODEL_SIDE = 1024;

export interface SegmentationModel {
  model: CutoutModel;
  /** Foreground probability (0..1) per pixel of a width×height RGB image. */
  predict(rgb: Uint8Array, width: number, height: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function loadSegmentationModel(model: CutoutModel, threads = defaultThreads(), pkg?: string): Promise<SegmentationModel> {
  const location = locateModel(model, pkg);
  if ('missing' in location) throw new AppError('not-found', location.missing);
  const bytes = await assembleModel(location);
  // Loaded on first use only: a worker that only ever runs the classical matte never loads ONNX Runtime
  // (a worker with it loaded must not be terminated; see CutoutEngineOptions.cancelGraceMs).
  const ort = (await import('onnxruntime-node')) as typeof Ort;
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new AppError('engine', `the segmentation model (${model}) could not be loaded: ${(e as Error).message}`);
  }
  const inputName = session.inputNames[0] ?? 'input';
  const outputName = session.outputNames.includes('output') ? 'output' : session.outputNames[0]!;
  return {
    model,
    async predict(rgb, width, height) {
      const input = toInputTensor(rgb, width, height);
      const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, MODEL_SIDE, MODEL_SIDE]) }, [outputName]);
      const out = result[outputName];
      if (!out || out.data.length !== MODEL_SIDE * MODEL_SIDE) {
        throw new AppError('engine', `the segmentation model returned an unexpected output (${out?.dims.join('×') ?? 'none'})`);
      }
      const prob = resizePlane(out.data as Float32Array, MODEL_SIDE, MODEL_SIDE, 1, width, height);
      for (let i = 0; i < prob.length; i++) prob[i] = prob[i]! < 0 ? 0 : prob[i]! > 1 ? 1 : prob[i]!;
      return prob;
    },
    release: () => session.release(),
  };
}

/** RGB bytes → 1×3×1024×1024 planes of (v/255 − 0.5). */
export function toInputTensor(rgb: Uint8Array, width: number, height: number): Float32Array {
  const src = new Float32Array(width * height * 3);
  for (let i = 0; i < src.length; i++) src[i] = rgb[i]!;
  const small = resizePlane(src, width, height, 3, MODEL_SIDE, MODEL_SIDE);
  const plane = MODEL_SIDE * MODEL_SIDE;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = small[i * 3]! / 255 - 0.5;
    out[i + plane] = small[i * 3 + 1]! / 255 - 0.5;
    out[i + 2 * plane] = small[i * 3 + 2]! / 255 - 0.5;
  }
  return out;
}

function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}
