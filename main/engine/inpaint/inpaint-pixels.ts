import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { FILL, KNOWN, SKIP, type FillCrop, type FillMethod } from './fill-types.js';
import { findMaskRegions, MASK_THRESHOLD, type MaskRegion, type MaskRegions } from './mask-regions.js';

export interface InpaintHooks {
  /** True once the job is cancelled; checked between and inside regions. */
  isCancelled?: () => boolean;
  /** 0..1, monotonic, throttling is the caller's business. */
  onProgress?: (progress: number) => void;
}

export interface InpaintStats {
  regions: number;
  filledPixels: number;
}

/**
 * Inpaints `image` IN PLACE where mask >= 128, region by region. Only masked pixels are written: every
 * other byte of image.data (alpha included) is left exactly as it was.
 */
export function inpaintPixels(image: RawImage, mask: RawImage, method: FillMethod, hooks: InpaintHooks = {}): InpaintStats {
  const { width, height } = image;
  if (mask.channels !== 1 || mask.width !== width || mask.height !== height) {
    throw new AppError('size-mismatch', `mask is ${mask.width}×${mask.height}×${mask.channels} but must be ${width}×${height}×1`);
  }
  const cancelled = hooks.isCancelled ?? (() => false);
  const checkCancel = () => {
    if (cancelled()) throw new AppError('cancelled', 'Inpainting was cancelled');
  };
  checkCancel();
  const found = findMaskRegions(mask.data, width, height);
  checkCancel();
  let done = 0;
  let last = 0;
  const report = (p: number) => {
    if (p > last) {
      last = p;
      hooks.onProgress?.(p);
    }
  };
  for (const region of found.regions) {
    const cut = cutCrop(image, mask, found, region, method);
    const before = done;
    // A region without a single known pixel around it (e.g. everything masked) has nothing to fill
    // from: it is left as it was.
    if (cut) {
      const { crop } = cut;
      method.fill(crop, {
        checkpoint(fraction) {
          checkCancel();
          report(Math.min(1, (before + Math.min(1, Math.max(0, fraction)) * crop.fillCount) / found.total));
        },
      });
      pasteFilled(image, cut);
    }
    done += region.count;
    report(done / Math.max(1, found.total));
    checkCancel();
  }
  report(1);
  return { regions: found.regions.length, filledPixels: found.total };
}

interface Cut {
  crop: FillCrop;
  /** Image position of the crop's (0, 0), padding included (may be negative). */
  ox: number;
  oy: number;
}

/**
 * Copies the region's bounding box plus `margin` (and `padding` SKIP pixels) into a float crop. A masked
 * pixel of another region inside the box is SKIP: it is text too, so no source, and not ours to fill.
 * Null when the box holds no known pixel at all (nothing to fill from).
 */
function cutCrop(image: RawImage, mask: RawImage, found: MaskRegions, region: MaskRegion, method: FillMethod): Cut | null {
  const { width, height, channels: C } = image;
  const x0 = Math.max(0, region.x0 - method.margin);
  const y0 = Math.max(0, region.y0 - method.margin);
  const x1 = Math.min(width, region.x1 + method.margin);
  const y1 = Math.min(height, region.y1 + method.margin);
  const pad = method.padding;
  const cw = x1 - x0 + 2 * pad;
  const ch = y1 - y0 + 2 * pad;
  const state = new Uint8Array(cw * ch).fill(SKIP);
  const pixels = new Float32Array(cw * ch * C);
  const { cellLabels, cellsX, cellSize } = found;
  const shift = Math.log2(cellSize);
  const src = image.data;
  const m = mask.data;
  let fillCount = 0;
  let known = 0;
  for (let y = y0; y < y1; y++) {
    const cellRow = (y >> shift) * cellsX;
    let o = (y - y0 + pad) * cw + pad;
    let s = y * width + x0;
    for (let x = x0; x < x1; x++, o++, s++) {
      if (m[s]! >= MASK_THRESHOLD) {
        if (cellLabels[cellRow + (x >> shift)] === region.label) {
          state[o] = FILL;
          fillCount++;
        }
      } else {
        state[o] = KNOWN;
        known++;
      }
      for (let c = 0; c < C; c++) pixels[o * C + c] = src[s * C + c]!;
    }
  }
  if (known === 0) return null;
  return { crop: { width: cw, height: ch, channels: C, pixels, state, fillCount }, ox: x0 - pad, oy: y0 - pad };
}

/** Writes the FILL pixels of a crop back, rounded and clamped; nothing else is touched. */
function pasteFilled(image: RawImage, cut: Cut): void {
  const { width, channels: C, data } = image;
  const { crop, ox, oy } = cut;
  const { width: cw, height: ch, state, pixels } = crop;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const o = y * cw + x;
      if (state[o] !== FILL) continue;
      const d = ((oy + y) * width + ox + x) * C;
      for (let c = 0; c < C; c++) {
        const v = Math.round(pixels[o * C + c]!);
        data[d + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}
