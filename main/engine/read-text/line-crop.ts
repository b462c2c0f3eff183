import type { RawImage } from '../../core/images/raw-image.js';
import type { ReadableRegion } from './types.js';

/** A grey picture of one text line, dark text on white, as Tesseract reads best. */
export interface LineCrop {
  data: Uint8Array;
  width: number;
  height: number;
  /** Whether the line stands out from its background at all (false: nothing to read). */
  contrast: boolean;
}

/**
 * How to lay the region out:
 * - 'line': along its angle (deskewed to horizontal; exactly axis-aligned when the angle is ~0);
 * - 'flipped': the same turned 180° (a steep line's angle cannot tell up from down);
 * - 'upright': the axis-aligned bounds unturned (a vertical column of upright glyphs).
 */
export type CropLayout = 'line' | 'flipped' | 'upright';

/**
 * How colour becomes grey: 'distance' from the background colour (any hue or polarity; outlined
 * copy turns solid), or luminance with the text 'lighter' or 'darker' than the background (keeps
 * light fill inside a dark outline from reading as a hollow shape).
 */
export type CropTone = 'distance' | 'lighter' | 'darker';

export interface CropOptions {
  layout: CropLayout;
  tone: CropTone;
  /** Glyph height in the crop, px. */
  targetHeight: number;
}

/** Padding around the region, in glyph heights: Tesseract wants some background around a line. */
const PAD = 0.3;
/** Largest crop side and area (a 100-character line at 32 px glyphs fits; longer ones are shrunk: this runs on the caller's thread). */
const MAX_SIDE = 8000;
const MAX_PIXELS = 300_000;
/** Tiny print is not blown up further than this: beyond it only the blur grows. */
const MAX_UPSCALE = 4;

/** A region's pixels laid out for reading, before toning (one per layout; every tone starts from it). */
export interface SampledLine {
  /** RGB, interleaved. */
  rgb: Float32Array;
  width: number;
  height: number;
  /** How far each pixel lies outside the region, in glyph heights (0 inside): the padding band is background. */
  outside: Float32Array;
}

/**
 * Cuts a region out of the image: rotated to horizontal, padded, scaled so glyphs are
 * `targetHeight` px tall (at most 4× up), then toned to dark-on-white (see CropTone), so
 * white-on-red, outlined or coloured copy becomes the black-on-white Tesseract was trained on.
 */
export function cropLine(image: RawImage, region: ReadableRegion, { layout, tone, targetHeight }: CropOptions): LineCrop {
  return toneLine(sampleLine(image, region, layout, targetHeight), tone);
}

export function sampleLine(image: RawImage, region: ReadableRegion, layout: CropLayout, targetHeight: number): SampledLine {
  const frame = frameOf(region, layout);
  // Glyph size: the detector's line height (for a column that is the glyph width, about the same for Hangul).
  const thickness = frame.t1 - frame.t0;
  const glyph = region.lineHeight > 2 ? Math.min(region.lineHeight, Math.max(thickness, 3)) : Math.max(3, thickness * 0.75);
  const pad = PAD * glyph;
  const srcW = frame.s1 - frame.s0 + 2 * pad;
  const srcH = thickness + 2 * pad;
  let k = Math.min(MAX_UPSCALE, targetHeight / glyph);
  if (Math.abs(k - 1) < 0.2) k = 1; // close enough: no resampling blur
  k = Math.min(k, MAX_SIDE / srcW, MAX_SIDE / srcH, Math.sqrt(MAX_PIXELS / (srcW * srcH)));
  const width = Math.max(1, Math.floor(srcW * k));
  const height = Math.max(1, Math.floor(srcH * k));

  const rgb = sample(image, frame, pad, k, width, height);
  const length = frame.s1 - frame.s0;
  const outside = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const t = (y + 0.5) / k - pad;
    const dt = t < 0 ? -t : t > thickness ? t - thickness : 0;
    for (let x = 0; x < width; x++) {
      const s = (x + 0.5) / k - pad;
      const ds = s < 0 ? -s : s > length ? s - length : 0;
      outside[y * width + x] = Math.max(ds, dt) / glyph;
    }
  }
  return { rgb, width, height, outside };
}

interface Frame {
  /** Unit vectors along the line (u) and across it, downwards in the crop (v). */
  ux: number;
  uy: number;
  vx: number;
  vy: number;
  /** Extent of the region's corners along u (s) and v (t). */
  s0: number;
  s1: number;
  t0: number;
  t1: number;
}

function frameOf(region: ReadableRegion, layout: CropLayout): Frame {
  let ux = 1;
  let uy = 0;
  // Below 1° the deskew would only blur; corners clamped to the image edge also land here fine.
  if (layout !== 'upright' && Math.abs(region.angle) >= 1) {
    const a = (region.angle * Math.PI) / 180;
    ux = Math.cos(a);
    uy = Math.sin(a);
  }
  if (layout === 'flipped') {
    ux = -ux;
    uy = -uy;
  }
  const vx = -uy;
  const vy = ux;
  let s0 = Infinity;
  let s1 = -Infinity;
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const [x, y] of region.polygon) {
    const s = x * ux + y * uy;
    const t = x * vx + y * vy;
    s0 = Math.min(s0, s);
    s1 = Math.max(s1, s);
    t0 = Math.min(t0, t);
    t1 = Math.max(t1, t);
  }
  return { ux, uy, vx, vy, s0, s1, t0, t1 };
}

/** RGB of the crop (bilinear; supersampled when shrinking), edges clamped. Runs on the caller's thread: kept lean. */
function sample(image: RawImage, f: Frame, pad: number, k: number, width: number, height: number): Float32Array {
  const { data, width: W, height: H, channels: C } = image;
  const out = new Float32Array(width * height * 3);
  const n = k < 1 ? Math.ceil(1 / k) : 1;
  const weight = 1 / (n * n);
  // Grey images repeat their one channel.
  const g = C >= 3 ? 1 : 0;
  const b = C >= 3 ? 2 : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r0 = 0;
      let g0 = 0;
      let b0 = 0;
      for (let sy = 0; sy < n; sy++) {
        const t = f.t0 - pad + (y + (sy + 0.5) / n) / k;
        for (let sx = 0; sx < n; sx++) {
          const s = f.s0 - pad + (x + (sx + 0.5) / n) / k;
          // Image coordinates with pixel centres on integers, clamped to the edge.
          const X = Math.min(W - 1, Math.max(0, s * f.ux + t * f.vx - 0.5));
          const Y = Math.min(H - 1, Math.max(0, s * f.uy + t * f.vy - 0.5));
          const x0 = X | 0;
          const y0 = Y | 0;
          const fx = X - x0;
          const fy = Y - y0;
          const i00 = (y0 * W + x0) * C;
          const i01 = x0 + 1 < W ? i00 + C : i00;
          const i10 = y0 + 1 < H ? i00 + W * C : i00;
          const i11 = i10 + (i01 - i00);
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          r0 += data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11;
          g0 += data[i00 + g]! * w00 + data[i01 + g]! * w01 + data[i10 + g]! * w10 + data[i11 + g]! * w11;
          b0 += data[i00 + b]! * w00 + data[i01 + b]! * w01 + data[i10 + b]! * w10 + data[i11 + b]! * w11;
        }
      }
      const i = (y * width + x) * 3;
      out[i] = r0 * weight;
      out[i + 1] = g0 * weight;
      out[i + 2] = b0 * weight;
    }
  }
  return out;
}

/** Below this difference (colour distance 0..441, or luminance 0..255) between background and strokes there is no text to see. */
const MIN_CONTRAST = 24;
/** The padding band beyond this many glyph heights from the region fades to white over FADE. */
const BLANK_FROM = 0.15;
const FADE = 0.1;

/**
 * Grey from how far each pixel is from the background (the padding band's median), in colour or
 * in signed luminance, stretched so the strokes are black and the background white.
 */
export function toneLine({ rgb, width, height, outside }: SampledLine, mode: CropTone): LineCrop {
  const n = width * height;
  // Histograms, not sorts: a long banner line is a million pixels, and this runs on the caller's thread.
  const bandHist = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let bandCount = 0;
  for (let i = 0; i < n; i++) {
    if (outside[i] === 0) continue;
    for (let c = 0; c < 3; c++) bandHist[c]![Math.min(255, Math.round(rgb[i * 3 + c]!))]!++;
    bandCount++;
  }
  if (bandCount === 0) {
    // No padding band (a region filling a tiny image): all pixels stand in for the background.
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) bandHist[c]![Math.min(255, Math.round(rgb[i * 3 + c]!))]!++;
    bandCount = n;
  }
  const bg = bandHist.map((hist) => quantile(hist, bandCount, 0.5));
  const bgLuma = luma(bg[0]!, bg[1]!, bg[2]!);
  const sign = mode === 'darker' ? -1 : 1;
  const strength = new Float32Array(n);
  const innerHist = new Uint32Array(442);
  let innerCount = 0;
  for (let i = 0; i < n; i++) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    const d = mode === 'distance' ? Math.hypot(r - bg[0]!, g - bg[1]!, b - bg[2]!) : Math.max(0, sign * (luma(r, g, b) - bgLuma));
    strength[i] = d;
    if (outside[i] === 0) {
      innerHist[Math.min(441, Math.round(d))]!++;
      innerCount++;
    }
  }
  // The strokes are a minority of the line's pixels: the 95th percentile is a stroke's strength.
  const hi = quantile(innerHist, innerCount, 0.95);
  const data = new Uint8Array(n);
  if (hi < MIN_CONTRAST) return { data: data.fill(255), width, height, contrast: false };
  for (let i = 0; i < n; i++) {
    // Beyond a small margin the band is blanked: neighbouring lines and clutter there only confuse.
    const fade = Math.min(1, Math.max(0, (BLANK_FROM + FADE - outside[i]!) / FADE));
    data[i] = 255 - Math.round(fade * Math.min(255, (255 * strength[i]!) / hi));
  }
  return { data, width, height, contrast: true };
}

function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** The value below which a share `q` of a histogram's `count` samples lie (0 when empty). */
function quantile(hist: Uint32Array, count: number, q: number): number {
  const target = Math.floor((count - 1) * q);
  let seen = 0;
  for (let v = 0; v < hist.length; v++) {
    seen += hist[v]!;
    if (seen > target) return v;
  }
  return 0;
}

/** Binary PGM (P5): Leptonica reads it directly, no PNG encode needed. */
export function toPgm(crop: LineCrop): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${crop.width} ${crop.height}\n255\n`);
  const out = new Uint8Array(header.length + crop.data.length);
  out.set(header);
  out.set(crop.data, header.length);
  return out;
}
