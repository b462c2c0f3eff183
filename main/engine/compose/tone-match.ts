import { labToRgb, rgbToLab } from './raster/lab.js';
import type { Patch } from './patch.js';
import type { Canvas } from './shadows.js';

export interface LabStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * Moves the product's colours toward the background around it (Reinhard-style transfer in Lab):
 * each channel's mean shifts by `strength` of the gap, and its spread scales by `strength` of the
 * way to the background's spread (limited to ×0.5..×2 so a flat backdrop does not flatten the
 * product). strength 0 leaves the product as shot; 1 matches the statistics fully.
 */
export function toneMatch(p: Patch, canvas: Canvas, strength: number): { before: LabStats; target: LabStats } | null {
  if (strength <= 0) return null;
  const product = patchStats(p);
  if (!product) return null;
  // The light around the product: its box grown by half its size on every side.
  const gx = p.w / 2;
  const gy = p.h / 2;
  const target = canvasStats(canvas, p.x0 - gx, p.y0 - gy, p.x0 + p.w + gx, p.y0 + p.h + gy);
  const scale = [0, 1, 2].map((c) => {
    const ratio = product.std[c]! > 1e-3 ? Math.min(2, Math.max(0.5, target.std[c]! / product.std[c]!)) : 1;
    return 1 + (ratio - 1) * strength;
  });
  const shift = [0, 1, 2].map((c) => (target.mean[c]! - product.mean[c]!) * strength);
  const lab = new Float32Array(3);
  for (let i = 0; i < p.a.length; i++) {
    if (p.a[i] === 0) continue;
    const o = i * 3;
    rgbToLab(clamp(p.rgb[o]!), clamp(p.rgb[o + 1]!), clamp(p.rgb[o + 2]!), lab, 0);
    for (let c = 0; c < 3; c++) lab[c] = (lab[c]! - product.mean[c]!) * scale[c]! + product.mean[c]! + shift[c]!;
    labToRgb(lab[0]!, lab[1]!, lab[2]!, p.rgb, o);
  }
  return { before: product, target };
}

/** Lab mean and spread of the solid pixels (alpha ≥ 0.5) of a patch. */
export function patchStats(p: Patch): LabStats | null {
  const step = Math.max(1, Math.floor(p.a.length / 60000));
  const acc = new Stats();
  const lab = new Float32Array(3);
  for (let i = 0; i < p.a.length; i += step) {
    if (p.a[i]! < 0.5) continue;
    rgbToLab(clamp(p.rgb[i * 3]!), clamp(p.rgb[i * 3 + 1]!), clamp(p.rgb[i * 3 + 2]!), lab, 0);
    acc.add(lab);
  }
  return acc.result();
}

/** Lab mean and spread of a canvas rectangle (clipped). */
export function canvasStats(canvas: Canvas, x0: number, y0: number, x1: number, y1: number): LabStats {
  const { width: W, height: H, rgb } = canvas;
  const a = Math.max(0, Math.floor(x0));
  const b = Math.max(0, Math.floor(y0));
  const c = Math.min(W, Math.ceil(x1));
  const d = Math.min(H, Math.ceil(y1));
  const step = Math.max(1, Math.floor(Math.sqrt(((c - a) * (d - b)) / 60000)));
  const acc = new Stats();
  const lab = new Float32Array(3);
  for (let y = b; y < d; y += step) {
    for (let x = a; x < c; x += step) {
      const o = (y * W + x) * 3;
      rgbToLab(clamp(rgb[o]!), clamp(rgb[o + 1]!), clamp(rgb[o + 2]!), lab, 0);
      acc.add(lab);
    }
  }
  return acc.result() ?? { mean: [50, 0, 0], std: [1, 1, 1] };
}

class Stats {
  private n = 0;
  private s = [0, 0, 0];
  private q = [0, 0, 0];
  add(v: Float32Array): void {
    this.n++;
    for (let c = 0; c < 3; c++) {
      this.s[c]! += v[c]!;
      this.q[c]! += v[c]! * v[c]!;
    }
  }
  result(): LabStats | null {
    if (this.n === 0) return null;
    const mean = this.s.map((v) => v / this.n) as [number, number, number];
    const std = this.q.map((v, c) => Math.sqrt(Math.max(0, v / this.n - mean[c]! * mean[c]!))) as [number, number, number];
    return { mean, std };
  }
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
