import { addGrain, applyLight, createCanvas, mix } from '../canvas.js';
import { noiseField, valueNoise } from '../noise.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** Woven linen: an over-under weave of slubby threads in a light tint of the palette. */
export const linen: Preset = {
  mood: 'light',
  description: 'woven linen: over-under threads with slubs, light and soft',
  render({ width: W, height: H, rng, scheme, seed, side }) {
    const c = createCanvas(W, H);
    const cloth = mix(scheme.base, scheme.light, 0.45);
    const p = Math.max(3, Math.round(side / rng.range(220, 320)));
    const warpSeed = subSeed(seed, 'warp');
    const weftSeed = subSeed(seed, 'weft');
    const mottle = noiseField(W, H, side * 0.3, subSeed(seed, 'mottle'), 4);
    // Thread thickness varies along each thread (slubs): one noise per thread, along its length.
    const warpSlub = (ix: number, y: number) => valueNoise(ix * 7.31, y / (p * 14), warpSeed);
    const weftSlub = (iy: number, x: number) => valueNoise(iy * 7.31, x / (p * 14), weftSeed);
    for (let y = 0, i = 0; y < H; y++) {
      const iy = Math.floor(y / p);
      const fy = y / p - iy;
      const weftProfile = Math.sin(Math.PI * fy) ** 0.7;
      for (let x = 0; x < W; x++, i++) {
        const ix = Math.floor(x / p);
        const fx = x / p - ix;
        const warpOnTop = ((ix + iy) & 1) === 0;
        const v = warpOnTop ? Math.sin(Math.PI * fx) ** 0.7 * (0.85 + 0.3 * warpSlub(ix, y)) : weftProfile * (0.85 + 0.3 * weftSlub(iy, x));
        const k = (0.8 + 0.2 * Math.min(1.1, v)) * (1 + 0.07 * (mottle[i]! - 0.5));
        const o = i * 3;
        c.px[o] = cloth[0] * k;
        c.px[o + 1] = cloth[1] * k;
        c.px[o + 2] = cloth[2] * k;
      }
    }
    applyLight(c, 0.5, 0.4, 0.7, 0.08, 0.18);
    addGrain(c, 0.8, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: null };
  },
};
