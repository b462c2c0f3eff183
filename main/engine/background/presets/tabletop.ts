import { luma } from '../../compose/raster/color.js';
import type { Rgb } from '../../compose/raster/lab.js';
import { addGrain, applyLight, createCanvas, mix, smooth } from '../canvas.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** A table top against a wall: a crisp horizon (the table's back edge) where products stand in front. */
export const tabletop: Preset = {
  mood: 'any',
  description: 'table top against a wall with a crisp horizon line; products stand on the table',
  render({ width: W, height: H, rng, scheme, seed }) {
    const c = createCanvas(W, H);
    const hY = Math.round(H * rng.range(0.56, 0.68));
    let surface: Rgb = scheme.surface;
    // The edge must read as a line: keep the table at least a little lighter or darker than the wall.
    const diff = luma(...surface) - luma(...scheme.base);
    if (Math.abs(diff) < 0.07) surface = diff >= 0 ? mix(surface, [255, 255, 255], 0.35) : mix(surface, [0, 0, 0], 0.16);
    const back = mix(surface, [0, 0, 0], 0.12);
    const front = mix(surface, scheme.light, 0.3);
    const ao = 0.006 * H;
    for (let y = 0; y < H; y++) {
      let col: Rgb;
      if (y < hY) {
        const t = y / hY;
        col = mix(mix(scheme.shade, scheme.base, 0.5), scheme.base, smooth(0, 1, t));
        // Ambient occlusion where the wall meets the table.
        const k = 1 - 0.12 * Math.exp(-(hY - y) / ao);
        col = [col[0] * k, col[1] * k, col[2] * k];
      } else {
        const t = (y - hY) / Math.max(1, H - hY);
        col = mix(back, front, smooth(0, 0.6, t));
        col = mix(col, back, 0.25 * smooth(0.75, 1, t));
        // A thin rim of light along the table's back edge.
        const rim = 10 * Math.exp(-(((y - hY) / (0.004 * H)) ** 2));
        col = [col[0] + rim, col[1] + rim, col[2] + rim];
      }
      for (let x = 0, o = y * W * 3; x < W; x++, o += 3) {
        c.px[o] = col[0];
        c.px[o + 1] = col[1];
        c.px[o + 2] = col[2];
      }
    }
    applyLight(c, 0.5 + rng.range(-0.15, 0.15), 0.45, 0.55, 0.1, 0.16);
    addGrain(c, 1.2, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: hY };
  },
};
