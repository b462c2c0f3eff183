import type { ProductLayer } from '../../../preload/contract/ad-layout.js';
import { gaussianBlur } from './raster/blur.js';
import { parseColor } from './raster/color.js';
import type { Patch } from './patch.js';

/**
 * Shadows derived from the product's own alpha, drawn onto the canvas before the product:
 * - drop shadow: the silhouette moved along `angle` by `distance`, blurred by `softness`, laid over
 *   the canvas in `color` at `opacity` (like a light from the opposite side);
 * - contact shadow: where the product touches the ground — the footprint of its lowest part,
 *   squashed into a thin dark band just under the base and blurred a little.
 * Sizes are fractions of the product's height on the canvas.
 */
export interface Canvas {
  width: number;
  height: number;
  /** width×height×3 floats 0..255. */
  rgb: Float32Array;
}

/**
 * A shadow before it is laid: a coverage buffer (w×h, 0..1+) at canvas position (left, top), to be
 * laid in `colour` at strength `k`. The compositor lays it onto its canvas; the editor turns it into
 * an RGBA patch (rgba-patch.ts) it can draw and move on its own.
 */
export interface ShadowMask {
  left: number;
  top: number;
  w: number;
  h: number;
  m: Float32Array;
  k: number;
  colour: readonly number[];
}

export function applyDropShadow(canvas: Canvas, p: Patch, objectHeight: number, s: ProductLayer['shadow']['drop'], layerOpacity: number): void {
  const mask = dropShadowMask(p, objectHeight, s, layerOpacity);
  if (mask) layShadow(canvas, mask);
}

export function applyContactShadow(canvas: Canvas, p: Patch, objectHeight: number, s: ProductLayer['shadow']['contact'], layerOpacity: number): void {
  const mask = contactShadowMask(p, objectHeight, s, layerOpacity);
  if (mask) layShadow(canvas, mask);
}

export function dropShadowMask(p: Patch, objectHeight: number, s: ProductLayer['shadow']['drop'], layerOpacity: number): ShadowMask | null {
  if (!s.enabled || s.opacity <= 0 || objectHeight <= 0) return null;
  const rad = (s.angle * Math.PI) / 180;
  const dx = Math.cos(rad) * s.distance * objectHeight;
  const dy = Math.sin(rad) * s.distance * objectHeight;
  const sigma = Math.max(0.5, s.softness * objectHeight);
  const margin = Math.ceil(3 * sigma + 2);
  const ox = Math.floor(Math.min(0, dx)) - margin;
  const oy = Math.floor(Math.min(0, dy)) - margin;
  const w = p.w + Math.ceil(Math.abs(dx)) + 2 * margin + 1;
  const h = p.h + Math.ceil(Math.abs(dy)) + 2 * margin + 1;
  const buf = new Float32Array(w * h);
  // Silhouette shifted by (dx, dy), bilinear so sub-pixel distances stay smooth.
  const fx = dx - Math.floor(dx);
  const fy = dy - Math.floor(dy);
  const ix = Math.floor(dx) - ox;
  const iy = Math.floor(dy) - oy;
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      const a = p.a[y * p.w + x]!;
      if (a === 0) continue;
      const bx = x + ix;
      const by = y + iy;
      buf[by * w + bx] = buf[by * w + bx]! + a * (1 - fx) * (1 - fy);
      buf[by * w + bx + 1] = buf[by * w + bx + 1]! + a * fx * (1 - fy);
      buf[(by + 1) * w + bx] = buf[(by + 1) * w + bx]! + a * (1 - fx) * fy;
      buf[(by + 1) * w + bx + 1] = buf[(by + 1) * w + bx + 1]! + a * fx * fy;
    }
  }
  gaussianBlur(buf, w, h, 1, sigma);
  const { rgb: colour, alpha } = parseColor(s.color);
  return { left: p.x0 + ox, top: p.y0 + oy, w, h, m: buf, k: s.opacity * alpha * layerOpacity, colour };
}

export function contactShadowMask(p: Patch, objectHeight: number, s: ProductLayer['shadow']['contact'], layerOpacity: number): ShadowMask | null {
  if (!s.enabled || s.opacity <= 0 || objectHeight <= 0) return null;
  // Per column, the lowest solid pixel; the base is the lowest of all (where the product meets the ground).
  const bottom = new Int32Array(p.w).fill(-1);
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) if (p.a[y * p.w + x]! >= 0.5) bottom[x] = y;
  }
  const base = Math.max(...bottom);
  if (base < 0) return null;
  // Columns touch the ground as much as their bottom is close to the base: a bottle's whole foot,
  // only the lowest stretch of a lying banana. The shadow darkens the ground under those columns.
  const touch = Math.max(1, 0.02 * objectHeight);
  const foot = new Float32Array(p.w);
  for (let x = 0; x < p.w; x++) if (bottom[x]! >= 0) foot[x] = Math.exp(-(base - bottom[x]!) / touch);
  const reach = Math.max(1.5, s.height * objectHeight);
  const sigma = Math.max(0.6, s.softness * objectHeight);
  const margin = Math.ceil(6 * sigma + 2);
  const above = Math.ceil(reach);
  const w = p.w + 2 * margin;
  const h = above + Math.ceil(4 * reach) + 2 * margin;
  const buf = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const dy = y - margin - above; // 0 at the base row
    const k = dy <= 0 ? 1 : Math.exp(-dy / reach);
    if (k < 0.003) continue;
    for (let x = 0; x < p.w; x++) buf[y * w + x + margin] = foot[x]! * k;
  }
  // Wide and flat, like light blocked near the ground from every side.
  gaussianBlur(buf, w, h, 1, 2 * sigma, sigma);
  return { left: p.x0 - margin, top: p.y0 + base - above - margin, w, h, m: buf, k: s.opacity * layerOpacity, colour: [0, 0, 0] };
}

/** canvas = canvas·(1 − k·m) + colour·k·m over the buffer's footprint (clipped to the canvas). */
export function layShadow(canvas: Canvas, mask: ShadowMask): void {
  const { m, w, h, left, top, colour } = mask;
  const { width: W, height: H, rgb } = canvas;
  for (let y = Math.max(0, -top); y < h && top + y < H; y++) {
    for (let x = Math.max(0, -left); x < w && left + x < W; x++) {
      const v = Math.min(1, m[y * w + x]!) * mask.k;
      if (v <= 0.0005) continue;
      const o = ((top + y) * W + left + x) * 3;
      rgb[o] = rgb[o]! + (colour[0]! - rgb[o]!) * v;
      rgb[o + 1] = rgb[o + 1]! + (colour[1]! - rgb[o + 1]!) * v;
      rgb[o + 2] = rgb[o + 2]! + (colour[2]! - rgb[o + 2]!) * v;
    }
  }
}
