import type { LayerTransform } from '../../../preload/contract/ad-layout.js';

/**
 * A product drawn into canvas space: only its bounding box, straight colours (0..255 floats) and
 * alpha (0..1). Shadows, tone match and edge treatment all work on this patch before it is blended.
 */
export interface Patch {
  x0: number;
  y0: number;
  w: number;
  h: number;
  rgb: Float32Array;
  a: Float32Array;
}

/** The 2×3 matrix of a Konva-style transform: canvas = T · R(rotation) · S(scaleX, scaleY) · local. */
export function transformMatrix(t: LayerTransform): [number, number, number, number, number, number] {
  const r = (t.rotation * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return [c * t.scaleX, s * t.scaleX, -s * t.scaleY, c * t.scaleY, t.x, t.y];
}

/** Canvas-space bounds of a width×height layer under a transform. */
export function transformedBounds(t: LayerTransform, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  const [a, b, c, d, e, f] = transformMatrix(t);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [u, v] of [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ] as const) {
    xs.push(a * u + c * v + e);
    ys.push(b * u + d * v + f);
  }
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/**
 * Resamples an RGBA image (straight alpha) into canvas space with bilinear filtering on premultiplied
 * values (no dark fringes from transparent neighbours). Null when the layer lies outside the canvas.
 * Shrinking by more than ~1.5× should be done beforehand with an area filter (the caller does).
 */
export function placeImage(src: Uint8Array, sw: number, sh: number, t: LayerTransform, canvasW: number, canvasH: number): Patch | null {
  const bounds = transformedBounds(t, sw, sh);
  const x0 = Math.max(0, Math.floor(bounds.x0));
  const y0 = Math.max(0, Math.floor(bounds.y0));
  const x1 = Math.min(canvasW, Math.ceil(bounds.x1));
  const y1 = Math.min(canvasH, Math.ceil(bounds.y1));
  if (x1 <= x0 || y1 <= y0) return null;
  const w = x1 - x0;
  const h = y1 - y0;
  const [a, b, c, d, e, f] = transformMatrix(t);
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) return null;
  // Inverse of [[a c e][b d f]].
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  const rgb = new Float32Array(w * h * 3);
  const alpha = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const cy = y0 + y + 0.5 - f;
    for (let x = 0; x < w; x++) {
      const cx = x0 + x + 0.5 - e;
      const u = ia * cx + ic * cy - 0.5;
      const v = ib * cx + id * cy - 0.5;
      if (u <= -1 || v <= -1 || u >= sw || v >= sh) continue;
      const ux = Math.floor(u);
      const vy = Math.floor(v);
      const tx = u - ux;
      const ty = v - vy;
      let pr = 0;
      let pg = 0;
      let pb = 0;
      let pa = 0;
      for (let k = 0; k < 4; k++) {
        const sx = ux + (k & 1);
        const sy = vy + (k >> 1);
        if (sx < 0 || sy < 0 || sx >= sw || sy >= sh) continue;
        const wgt = (k & 1 ? tx : 1 - tx) * (k >> 1 ? ty : 1 - ty);
        const o = (sy * sw + sx) * 4;
        const al = (src[o + 3]! / 255) * wgt;
        pr += src[o]! * al;
        pg += src[o + 1]! * al;
        pb += src[o + 2]! * al;
        pa += al;
      }
      if (pa <= 1e-6) continue;
      const i = y * w + x;
      alpha[i] = pa > 1 ? 1 : pa;
      rgb[i * 3] = pr / pa;
      rgb[i * 3 + 1] = pg / pa;
      rgb[i * 3 + 2] = pb / pa;
    }
  }
  return { x0, y0, w, h, rgb, a: alpha };
}

/** Bounds of alpha ≥ `threshold` inside a patch (patch coordinates), or null when empty. */
export function alphaBounds(p: Patch, threshold = 0.5): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = p.w;
  let y0 = p.h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      if (p.a[y * p.w + x]! < threshold) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}
