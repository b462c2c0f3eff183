import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { findMaskRegions, MASK_THRESHOLD } from '../inpaint/mask-regions.js';
import { planLamaWindows, type LamaPlan } from './hd-plan.js';
import { DEFAULT_HD, type LamaContract, type LamaHdOptions } from './lama-options.js';
import { cutWindow, pasteWindow } from './window-io.js';

/** One network run on S×S inputs (image 3·S·S in 0..1, mask S·S); resolves to the 3·S·S output. */
export type LamaInfer = (image: Float32Array, mask: Float32Array) => Promise<Float32Array>;

export interface RunLamaHooks {
  /** True once the job is cancelled; checked before and after every window. */
  isCancelled?: () => boolean;
  /** 0..1 by windows done. */
  onProgress?: (progress: number) => void;
}

export interface LamaStats {
  strategy: LamaPlan['strategy'];
  windows: number;
  filledPixels: number;
}

/**
 * Inpaints `image` IN PLACE where mask >= 128 with a LaMa-style network, window by window (see
 * planLamaWindows). Only masked pixels are written: every other byte, alpha included, stays as it was.
 * Windows run in order and see the pixels earlier windows filled as context, so a long line of text
 * continues smoothly from one window into the next.
 */
export async function runLama(
  image: RawImage,
  mask: RawImage,
  infer: LamaInfer,
  contract: Pick<LamaContract, 'size' | 'outputMax'>,
  hd: LamaHdOptions = {},
  hooks: RunLamaHooks = {},
): Promise<LamaStats> {
  const { width, height } = image;
  if (mask.channels !== 1 || mask.width !== width || mask.height !== height) {
    throw new AppError('size-mismatch', `mask is ${mask.width}×${mask.height}×${mask.channels} but must be ${width}×${height}×1`);
  }
  const cancelled = hooks.isCancelled ?? (() => false);
  const check = () => {
    if (cancelled()) throw new AppError('cancelled', 'LaMa inpainting was cancelled');
  };
  check();
  const found = findMaskRegions(mask.data, width, height);
  const plan = planLamaWindows(found, width, height, contract.size, { ...DEFAULT_HD, ...hd });
  const pending = new Uint8Array(width * height);
  for (let i = 0; i < pending.length; i++) pending[i] = mask.data[i]! >= MASK_THRESHOLD ? 1 : 0;
  const { cellLabels, cellsX, cellSize } = found;
  const shift = Math.log2(cellSize);
  let filled = 0;
  for (let i = 0; i < plan.windows.length; i++) {
    const win = plan.windows[i]!;
    check();
    const tensors = cutWindow(image, pending, win, contract.size);
    const output = await infer(tensors.image, tensors.mask);
    check();
    if (output.length !== 3 * contract.size * contract.size) {
      throw new AppError('engine', `the LaMa model returned ${output.length} values, expected 3×${contract.size}×${contract.size}`);
    }
    const labels = new Set(win.labels);
    const owns = (s: number) => labels.has(cellLabels[((((s / width) | 0) >> shift) * cellsX) + ((s % width) >> shift)]!);
    filled += pasteWindow(image, mask, pending, owns, output, contract.outputMax, win, tensors, contract.size);
    hooks.onProgress?.((i + 1) / plan.windows.length);
  }
  hooks.onProgress?.(1);
  return { strategy: plan.strategy, windows: plan.windows.length, filledPixels: filled };
}
