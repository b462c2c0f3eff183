import type { Rgb } from '../compose/raster/lab.js';
import { createRng } from './rng.js';

/** A float RGB working canvas (0..255 per channel) that presets paint into. */
export interface Canvas {
  width: number;
  height: number;
  /** width×height×3. */
  px: Float32Array;
}

export function createCanvas(width: number, height: number): Canvas {
  return { width, height, px: new Float32Array(width * height * 3) };
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function smooth(e0: number, e1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/**
 * Multiplies each pixel by a light level: a soft pool of light at (cx, cy) (fractions of the
 * canvas) of `radius` (× the longer side) adding `boost`, and corners darkened by `vignette`.
 */
export function applyLight(c: Canvas, cx: number, cy: number, radius: number, boost: number, vignette: number): void {
  const { width: W, height: H, px } = c;
  const long = Math.max(W, H);
  const r2 = (radius * long) ** 2;
  for (let y = 0; y < H; y++) {
    const dy = y - cy * H;
    const vy = (y / H - 0.5) * 2;
    for (let x = 0; x < W; x++) {
      const dx = x - cx * W;
      const vx = (x / W - 0.5) * 2;
      const pool = Math.exp(-(dx * dx + dy * dy) / r2);
      const corner = (vx * vx + vy * vy) / 2;
      const k = 1 + boost * pool - vignette * corner * corner;
      const o = (y * W + x) * 3;
      px[o] = px[o]! * k;
      px[o + 1] = px[o + 1]! * k;
      px[o + 2] = px[o + 2]! * k;
    }
  }
}

/** Adds zero-mean per-pixel grain of `amount` (channel units); same for all channels (luminance grain). */
export function addGrain(c: Canvas, amount: number, seed: number): void {
  const rng = createRng(seed);
  const { px } = c;
  for (let o = 0; o < px.length; o += 3) {
    const g = (rng.next() + rng.next() - 1) * amount;
    px[o] = px[o]! + g;
    px[o + 1] = px[o + 1]! + g;
    px[o + 2] = px[o + 2]! + g;
  }
}

/** Float canvas → 8-bit RGB with seeded dithering (no banding in long soft gradients). */
export function toBytes(c: Canvas, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(c.px.length);
  for (let i = 0; i < out.length; i++) {
    const v = c.px[i]! + rng.next() - 0.5;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}
