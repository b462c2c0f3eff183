import { addGrain, applyLight, createCanvas, mix } from '../canvas.js';
import { noiseField } from '../noise.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** Polished marble: a light stone with turbulent veins, in a quiet tint of the palette. */
export const marble: Preset = {
  mood: 'light',
  description: 'polished marble: light stone with turbulent veins tinted from the palette',
  render({ width: W, height: H, rng, scheme, seed, side }) {
    const c = createCanvas(W, H);
    const stone = mix(scheme.light, [248, 247, 244], 0.55);
    const vein = mix(mix(scheme.shade, [92, 92, 96], 0.7), scheme.accent2, 0.1);
    const angle = rng.range(-0.9, 0.9) + (rng.next() < 0.5 ? Math.PI / 2 : 0);
    const ca = Math.cos(angle);
    const sa = Math.sin(angle);
    const freq = (2 * Math.PI) / (side * rng.range(0.45, 0.8));
    const warp = noiseField(W, H, side * 0.5, subSeed(seed, 'warp'), 5);
    const detail = noiseField(W, H, side * 0.12, subSeed(seed, 'detail'), 4);
    const turbulence = rng.range(3, 4.5);
    for (let y = 0, i = 0; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        const p = x * ca + y * sa;
        const t = p * freq + turbulence * warp[i]! + 1.6 * detail[i]!;
        const s = 1 - Math.abs(Math.sin(t));
        const s2 = 1 - Math.abs(Math.sin(t * 2.7 + 5 * detail[i]!));
        // Powers by multiplication: Math.pow per pixel is most of the cost otherwise.
        const s3 = s * s * s;
        const s12 = s3 * s3 * s3 * s3;
        const t4 = s2 * s2 * s2 * s2;
        const t16 = t4 * t4 * t4 * t4;
        const main = s12 * 0.7 + s3 * 0.1;
        // Fine secondary veins, only near the main ones (marble veins branch, they do not tile).
        const thin = t16 * t16 * 0.22 * Math.min(1, s3 * 4);
        const cloud = (warp[i]! - 0.5) * 0.25;
        const k = Math.max(0, Math.min(1, main + thin + cloud));
        const o = i * 3;
        c.px[o] = stone[0] + (vein[0] - stone[0]) * k;
        c.px[o + 1] = stone[1] + (vein[1] - stone[1]) * k;
        c.px[o + 2] = stone[2] + (vein[2] - stone[2]) * k;
      }
    }
    applyLight(c, 0.45, 0.35, 0.7, 0.05, 0.12);
    addGrain(c, 0.8, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: null };
  },
};
