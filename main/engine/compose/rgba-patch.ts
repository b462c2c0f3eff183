import type { Patch } from './patch.js';
import type { ShadowMask } from './shadows.js';

/**
 * A drawable piece of the ad: straight-alpha RGBA pixels (width×height) whose top-left sits at
 * (x, y) on the canvas. The editor draws a product's shadow patch and then its effected product
 * patch; laid over the same background they give the pixels the compositor computes in floats
 * (up to 8-bit rounding).
 */
export interface RgbaPatch {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** The placed, effected product as RGBA (its opacity is applied where it is drawn). */
export function productRgba(p: Patch): RgbaPatch {
  const data = new Uint8ClampedArray(p.w * p.h * 4);
  for (let i = 0; i < p.w * p.h; i++) {
    const a = p.a[i]!;
    if (a <= 0) continue;
    data[i * 4] = Math.round(p.rgb[i * 3]!);
    data[i * 4 + 1] = Math.round(p.rgb[i * 3 + 1]!);
    data[i * 4 + 2] = Math.round(p.rgb[i * 3 + 2]!);
    data[i * 4 + 3] = Math.round(a * 255);
  }
  return { x: p.x0, y: p.y0, width: p.w, height: p.h, data };
}

/**
 * Shadow masks laid one after the other (drop, then contact) as a single RGBA patch, clipped to the
 * canvas: source-over of this patch equals laying each mask in turn. Null when nothing shows.
 */
export function shadowRgba(masks: readonly (ShadowMask | null)[], canvasW: number, canvasH: number): RgbaPatch | null {
  const list = masks.filter((m): m is ShadowMask => m !== null);
  if (list.length === 0) return null;
  const x0 = Math.max(0, Math.min(...list.map((m) => m.left)));
  const y0 = Math.max(0, Math.min(...list.map((m) => m.top)));
  const x1 = Math.min(canvasW, Math.max(...list.map((m) => m.left + m.w)));
  const y1 = Math.min(canvasH, Math.max(...list.map((m) => m.top + m.h)));
  if (x1 <= x0 || y1 <= y0) return null;
  const w = x1 - x0;
  const h = y1 - y0;
  // Premultiplied accumulation: over = colour·v + below·(1 − v), alpha = v + alpha·(1 − v).
  const acc = new Float32Array(w * h * 4);
  for (const m of list) {
    for (let y = Math.max(0, y0 - m.top); y < m.h && m.top + y < y1; y++) {
      for (let x = Math.max(0, x0 - m.left); x < m.w && m.left + x < x1; x++) {
        const v = Math.min(1, m.m[y * m.w + x]!) * m.k;
        if (v <= 0.0005) continue; // what layShadow skips
        const o = ((m.top + y - y0) * w + m.left + x - x0) * 4;
        for (let c = 0; c < 3; c++) acc[o + c] = m.colour[c]! * v + acc[o + c]! * (1 - v);
        acc[o + 3] = v + acc[o + 3]! * (1 - v);
      }
    }
  }
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const a = acc[i * 4 + 3]!;
    if (a <= 0) continue;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(acc[i * 4 + c]! / a);
    data[i * 4 + 3] = Math.round(a * 255);
  }
  return { x: x0, y: y0, width: w, height: h, data };
}
