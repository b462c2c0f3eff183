import { addGrain, applyLight, createCanvas, mix, smooth } from '../canvas.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** A seamless paper sweep: the wall curves into the floor with no visible line, lit from the front. */
export const sweep: Preset = {
  mood: 'light',
  description: 'seamless paper sweep: the wall curves into the floor, soft front light',
  render({ width: W, height: H, rng, scheme, seed }) {
    const c = createCanvas(W, H);
    const bend = rng.range(0.55, 0.68);
    const top = mix(scheme.shade, scheme.base, 0.45);
    for (let y = 0; y < H; y++) {
      const v = y / H;
      const wall = mix(top, scheme.base, smooth(0, bend, v));
      const floor = mix(wall, scheme.light, 0.85 * smooth(bend - 0.14, bend + 0.12, v));
      const col = mix(floor, scheme.base, 0.35 * smooth(0.86, 1.05, v));
      for (let x = 0, o = y * W * 3; x < W; x++, o += 3) {
        c.px[o] = col[0];
        c.px[o + 1] = col[1];
        c.px[o + 2] = col[2];
      }
    }
    applyLight(c, 0.5 + rng.range(-0.12, 0.12), bend - 0.05, 0.5, 0.1, 0.2);
    addGrain(c, 1.4, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: null };
  },
};
