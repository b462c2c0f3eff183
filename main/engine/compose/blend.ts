import type { Patch } from './patch.js';
import type { Canvas } from './shadows.js';

/** Source-over of a straight-alpha patch onto the canvas at `opacity`. */
export function blendPatch(canvas: Canvas, p: Patch, opacity: number): void {
  const { width: W, rgb } = canvas;
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      const i = y * p.w + x;
      const a = p.a[i]! * opacity;
      if (a <= 0) continue;
      const o = ((p.y0 + y) * W + p.x0 + x) * 3;
      for (let c = 0; c < 3; c++) rgb[o + c] = rgb[o + c]! + (p.rgb[i * 3 + c]! - rgb[o + c]!) * a;
    }
  }
}

/** Source-over of a canvas-sized straight-alpha RGBA overlay (a rendered text layer). */
export function blendOverlay(canvas: Canvas, rgba: Uint8Array): void {
  const { rgb } = canvas;
  const n = canvas.width * canvas.height;
  for (let i = 0; i < n; i++) {
    const a8 = rgba[i * 4 + 3]!;
    if (a8 === 0) continue;
    const a = a8 / 255;
    const o = i * 3;
    for (let c = 0; c < 3; c++) rgb[o + c] = rgb[o + c]! + (rgba[i * 4 + c]! - rgb[o + c]!) * a;
  }
}
