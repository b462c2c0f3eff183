import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { FILL, KNOWN, SKIP, type FillCrop, type FillMethod } from './fill-types.js';
import { findMaskRegions, MASK_THRESHOLD, type MaskRegion, type MaskRegions } from './mask-regions.js';

export interface InpaintHooks {
  /** True once the job is cancelled; checked between and inside regions. */
  isCancelled?: () => boolean;
  /**
   * 0..1, monotonic, throttling is the caller's business. With `part`, the share of ALL masked pixels
   * this part has filled (so the parts' figures add up to the whole job's progress).
   */
  onProgress?: (progress: number) => void;
  /** Fill only this part's regions (see partitionRegions): parallel workers over one shared image. */
  part?: { index: number; count: number };
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
  const assigned = hooks.part ? partitionRegions(found.regions, hooks.part.count, (r) => cropCost(r, method, width, height)) : null;
  const mine = assigned ? found.regions.filter((_, i) => assigned[i] === hooks.part!.index) : found.regions;
  const mineTotal = mine.reduce((n, r) => n + r.count, 0);
  const total = Math.max(1, found.total);
  let done = 0;
  let last = 0;
  const report = (p: number) => {
    if (p > last) {
      last = p;
      hooks.onProgress?.(p);
    }
  };
  for (const region of mine) {
    const cut = cutCrop(image, mask, found, region, method);
    const before = done;
    // A region without a single known pixel around it (e.g. everything masked) has nothing to fill
    // from: it is left as it was.
    if (cut) {
      const { crop } = cut;
      method.fill(crop, {
        checkpoint(fraction) {
          checkCancel();
          report(Math.min(1, (before + Math.min(1, Math.max(0, fraction)) * crop.fillCount) / total));
        },
      });
      pasteFilled(image, cut);
    }
    done += region.count;
    report(done / total);
    checkCancel();
  }
  report(assigned ? mineTotal / total : 1);
  return { regions: mine.length, filledPixels: mineTotal };
}

/** Known pixels kept around a region: the method's margin, grown with the region's thickness. */
export function marginFor(region: MaskRegion, method: FillMethod): number {
  const thickness = Math.min(region.x1 - region.x0, region.y1 - region.y0);
  const scaled = Math.round((method.marginScale ?? 0) * thickness);
  return Math.max(method.margin, Math.min(scaled, method.maxMargin ?? method.margin));
}

/** Roughly what filling a region costs: its crop's area. */
function cropCost(region: MaskRegion, method: FillMethod, width: number, height: number): number {
  const m = marginFor(region, method);
  return (Math.min(width, region.x1 + m) - Math.max(0, region.x0 - m)) * (Math.min(height, region.y1 + m) - Math.max(0, region.y0 - m));
}

/**
 * Splits regions over `count` parts of about equal cost: largest first, each to the least loaded part.
 * Deterministic (ties by position), so every worker computes the same split from the same mask.
 */
export function partitionRegions(regions: readonly MaskRegion[], count: number, cost: (r: MaskRegion) => number): Int32Array {
  const parts = new Int32Array(regions.length);
  const load = new Float64Array(Math.max(1, count));
  const order = regions.map((r, i) => ({ i, c: cost(r) })).sort((a, b) => b.c - a.c || a.i - b.i);
  for (const { i, c } of order) {
    let best = 0;
    for (let p = 1; p < load.length; p++) if (load[p]! < load[best]!) best = p;
    parts[i] = best;
    load[best]! += c;
  }
  return parts;
}

interface Cut {
  crop: FillCrop;
  /** Image position of the crop's (0, 0), padding included (may be negative). */
  ox: number;
  oy: number;
}

/**
 * Copies the region's bounding box plus its margin (and `padding` SKIP pixels) into a float crop. A masked
 * pixel of another region inside the box is SKIP: it is text too, so no source, and not ours to fill.
 * Null when the box holds no known pixel at all (nothing to fill from).
 */
function cutCrop(image: RawImage, mask: RawImage, found: MaskRegions, region: MaskRegion, method: FillMethod): Cut | null {
  const { width, height, channels: C } = image;
  const margin = marginFor(region, method);
  const x0 = Math.max(0, region.x0 - margin);
  const y0 = Math.max(0, region.y0 - margin);
  const x1 = Math.min(width, region.x1 + margin);
  const y1 = Math.min(height, region.y1 + margin);
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
