import type { Rgb } from '../../compose/raster/lab.js';
import { addGrain, applyLight, createCanvas, mix, smooth } from '../canvas.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** Out-of-focus lights (bokeh discs in the palette's colours) behind a dark glossy surface. */
export const bokeh: Preset = {
  mood: 'dark',
  description: 'out-of-focus lights in the product colours behind a dark, glossy surface',
  render({ width: W, height: H, rng, scheme, seed, side, isCancelled }) {
    const c = createCanvas(W, H);
    const hY = Math.round(H * rng.range(0.66, 0.74));
    const surfTop = mix(scheme.shade, scheme.surface, 0.35);
    const surfBottom = mix(scheme.shade, [0, 0, 0], 0.3);
    for (let y = 0; y < H; y++) {
      const col: Rgb = y < hY ? mix(mix(scheme.shade, [0, 0, 0], 0.25), scheme.base, smooth(0, hY, y)) : mix(surfTop, surfBottom, smooth(hY, H, y));
      for (let x = 0, o = y * W * 3; x < W; x++, o += 3) {
        c.px[o] = col[0];
        c.px[o + 1] = col[1];
        c.px[o + 2] = col[2];
      }
    }
    const count = Math.max(20, Math.round(rng.range(35, 60) * Math.sqrt((W * H) / (1080 * 1350))));
    const colours: Rgb[] = [scheme.accent, scheme.accent2, scheme.light, mix(scheme.accent, [255, 255, 255], 0.4)];
    const rMin = Math.log(0.015 * side);
    const rMax = Math.log(0.085 * side);
    for (let k = 0; k < count; k++) {
      if (isCancelled()) break;
      const r = Math.exp(rng.range(rMin, rMax));
      const cx = rng.range(-0.05, 1.05) * W;
      const cy = hY * Math.pow(rng.next(), 0.8) + rng.range(-0.05, 0.05) * H;
      const col = rng.pick(colours);
      // Small discs are brighter (a point light keeps its energy in less area).
      const intensity = rng.range(0.12, 0.4) * (1.3 - 0.6 * ((Math.log(r) - rMin) / (rMax - rMin)));
      const edge = Math.max(1.2, r * rng.range(0.04, 0.18));
      drawDisc(c.px, W, Math.min(H, hY + Math.ceil(r)), cx, cy, r, edge, col, intensity);
    }
    applyLight(c, 0.5, 0.4, 0.6, 0.06, 0.25);
    addGrain(c, 1.6, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: hY };
  },
};

/** A soft-edged disc, slightly brighter at its rim (as a lens renders a point light), screen-blended. */
function drawDisc(px: Float32Array, W: number, maxY: number, cx: number, cy: number, r: number, edge: number, col: Rgb, intensity: number): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(W - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(maxY - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > r) continue;
      const body = smooth(r, r - edge, d);
      const rim = 0.85 + 0.15 * (d / r) ** 4;
      const a = intensity * body * rim;
      const o = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) {
        const v = px[o + k]!;
        px[o + k] = v + (255 - v) * ((col[k]! / 255) * a);
      }
    }
  }
}
