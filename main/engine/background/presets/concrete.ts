import type { Rgb } from '../../compose/raster/lab.js';
import { addGrain, applyLight, createCanvas, mix } from '../canvas.js';
import { noiseField } from '../noise.js';
import { hash2, subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** Cast concrete: mottled grey with fine aggregate, pits and faint stains, lightly tinted. */
export const concrete: Preset = {
  mood: 'light',
  description: 'cast concrete: mottled grey with aggregate speckles, small pits and faint stains',
  render({ width: W, height: H, rng, scheme, seed, side, isCancelled }) {
    const c = createCanvas(W, H);
    const grey = rng.range(150, 195);
    const base = mix([grey, grey, grey * 0.98] as Rgb, scheme.base, 0.22);
    const m1 = noiseField(W, H, side * 0.25, subSeed(seed, 'm1'), 5);
    const m2 = noiseField(W, H, side * 0.05, subSeed(seed, 'm2'), 4);
    const m3 = noiseField(W, H, 3, subSeed(seed, 'm3'), 2);
    const stains = noiseField(W, H, side * 0.5, subSeed(seed, 'stain'), 3);
    const speck = subSeed(seed, 'speck');
    for (let y = 0, i = 0; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        let v = 1 + 0.2 * (m1[i]! - 0.5) + 0.12 * (m2[i]! - 0.5) + 0.1 * (m3[i]! - 0.5);
        const h = hash2(x, y, speck);
        if (h > 0.985) v *= 0.82;
        else if (h < 0.004) v *= 1.12;
        if (stains[i]! > 0.6) v *= 1 - (stains[i]! - 0.6) * 0.45;
        const o = i * 3;
        c.px[o] = base[0] * v;
        c.px[o + 1] = base[1] * v;
        c.px[o + 2] = base[2] * v;
      }
    }
    // Pits: small dark holes with a lit lower rim.
    const pits = Math.round((W * H) / 9000);
    for (let k = 0; k < pits && !isCancelled(); k++) {
      const cx = rng.range(0, W);
      const cy = rng.range(0, H);
      const r = rng.range(0.7, Math.max(1, side * 0.0025));
      for (let y = Math.max(0, Math.floor(cy - r - 2)); y <= Math.min(H - 1, Math.ceil(cy + r + 2)); y++) {
        for (let x = Math.max(0, Math.floor(cx - r - 2)); x <= Math.min(W - 1, Math.ceil(cx + r + 2)); x++) {
          const d = Math.hypot(x - cx, y - cy);
          const o = (y * W + x) * 3;
          let f = 1;
          if (d <= r) f = 0.62;
          else if (d <= r + 1.2 && y > cy) f = 1.1;
          if (f === 1) continue;
          c.px[o] = c.px[o]! * f;
          c.px[o + 1] = c.px[o + 1]! * f;
          c.px[o + 2] = c.px[o + 2]! * f;
        }
      }
    }
    applyLight(c, 0.5, 0.4, 0.7, 0.08, 0.2);
    addGrain(c, 1.0, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: null };
  },
};
