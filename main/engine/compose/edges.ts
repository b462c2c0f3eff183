import { gaussianBlur } from './raster/blur.js';
import { distanceTo } from './raster/distance.js';
import type { Patch } from './patch.js';
import type { Canvas } from './shadows.js';

/**
 * Edge treatment of a placed product:
 * - defringe: colours within `width` px of the outline are pulled toward the product's own colours
 *   from just inside (what remains of an old backdrop's tint disappears);
 * - feather: the outline is softened inward by a Gaussian of `sigma` px (alpha × blurred alpha),
 *   so it never grows a ring outside the product;
 * - light wrap: the background's light, blurred, spills a little over the product's edge (screen
 *   blend: light backgrounds brighten the rim, dark ones leave it alone).
 */
export function defringe(p: Patch, width: number): void {
  if (width <= 0) return;
  const { w, h } = p;
  const toOutside = distanceTo(w, h, (i) => p.a[i]! < 0.5);
  // Inner colours: normalised convolution of pixels deeper than the band.
  const acc = new Float32Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    if (toOutside[i]! <= width + 0.5) continue;
    acc[i * 4] = p.rgb[i * 3]!;
    acc[i * 4 + 1] = p.rgb[i * 3 + 1]!;
    acc[i * 4 + 2] = p.rgb[i * 3 + 2]!;
    acc[i * 4 + 3] = 1;
  }
  gaussianBlur(acc, w, h, 4, Math.max(1, width * 1.5));
  for (let i = 0; i < w * h; i++) {
    if (p.a[i] === 0 || toOutside[i]! > width + 0.5) continue;
    const wt = acc[i * 4 + 3]!;
    if (wt < 1e-3) continue;
    // Full replacement at the outline, fading to none at the band's inner edge.
    const t = Math.max(0, Math.min(1, 1 - (toOutside[i]! - 0.5) / (width + 0.5)));
    for (let c = 0; c < 3; c++) {
      const inner = acc[i * 4 + c]! / wt;
      p.rgb[i * 3 + c] = p.rgb[i * 3 + c]! + (inner - p.rgb[i * 3 + c]!) * t;
    }
  }
}

export function feather(p: Patch, sigma: number): void {
  if (sigma < 0.3) return;
  const blurred = Float32Array.from(p.a);
  gaussianBlur(blurred, p.w, p.h, 1, sigma);
  for (let i = 0; i < p.a.length; i++) {
    if (p.a[i] === 0) continue;
    // Unchanged well inside (blurred alpha 1); the rim fades by how much outside it sees.
    p.a[i] = p.a[i]! * blurred[i]!;
  }
}

export function lightWrap(p: Patch, canvas: Canvas, amount: number, radius: number): void {
  if (amount <= 0 || radius < 0.5) return;
  const { w, h, x0, y0 } = p;
  const bg = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const cy = Math.min(canvas.height - 1, y0 + y);
    bg.set(canvas.rgb.subarray((cy * canvas.width + x0) * 3, (cy * canvas.width + x0 + w) * 3), y * w * 3);
  }
  gaussianBlur(bg, w, h, 3, radius);
  const inside = Float32Array.from(p.a);
  gaussianBlur(inside, w, h, 1, radius);
  for (let i = 0; i < w * h; i++) {
    if (p.a[i] === 0) continue;
    const k = amount * Math.min(1, 2 * (1 - inside[i]!));
    if (k <= 0) continue;
    for (let c = 0; c < 3; c++) {
      const f = p.rgb[i * 3 + c]! / 255;
      const b = bg[i * 3 + c]! / 255;
      const screen = 1 - (1 - f) * (1 - b);
      p.rgb[i * 3 + c] = (f + (screen - f) * k) * 255;
    }
  }
}
