import { lch, rgbOf, chromaHue, labOf } from '../../compose/raster/lab.js';
import { addGrain, applyLight, createCanvas, mix } from '../canvas.js';
import { noiseField } from '../noise.js';
import { subSeed } from '../rng.js';
import type { Preset } from './types.js';

/** Vertical wooden boards: growth rings and fibres along each plank, darker seams between them. */
export const wood: Preset = {
  mood: 'light',
  description: 'wooden boards: growth rings and fibres, seams between planks, warm light',
  render({ width: W, height: H, rng, scheme, seed, side }) {
    const c = createCanvas(W, H);
    // Wood hues (orange-brown), nudged toward the palette's hue and lightness.
    const tint = chromaHue(labOf(scheme.base));
    const hue = rng.range(55, 72) * 0.8 + ((tint.h + 360) % 360 < 180 ? tint.h : 65) * 0.2;
    const L = rng.range(52, 72);
    const light = rgbOf(lch(L, rng.range(20, 30), hue));
    const dark = rgbOf(lch(L - rng.range(14, 22), rng.range(24, 34), hue - 4));
    // Planks.
    const edges: number[] = [0];
    while (edges[edges.length - 1]! < W) edges.push(edges[edges.length - 1]! + Math.round(side * rng.range(0.14, 0.22)));
    const plankOf = new Int32Array(W);
    for (let p = 0; p + 1 < edges.length; p++) for (let x = edges[p]!; x < Math.min(W, edges[p + 1]!); x++) plankOf[x] = p;
    const plankTint = edges.map(() => rng.range(0.9, 1.08));
    const plankShift = edges.map(() => rng.range(0, 1000));
    const ringFreq = 1 / (side * rng.range(0.012, 0.02));
    const bend = noiseField(W, H, side * 0.05, subSeed(seed, 'bend'), 4, 0.5, side * 0.7);
    const fibre = noiseField(W, H, 2, subSeed(seed, 'fibre'), 2, 0.5, side * 0.06);
    const seam = Math.max(1.5, side * 0.002);
    for (let y = 0, i = 0; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        const p = plankOf[x]!;
        const lx = x - edges[p]!;
        const g = (lx + plankShift[p]!) * ringFreq + 4.5 * bend[i]!;
        const ring = (g - Math.floor(g)) ** 2.6;
        const k = Math.min(1, 0.55 * ring + 0.35 * fibre[i]!);
        const col = mix(light, dark, k);
        const toSeam = Math.min(lx, edges[p + 1]! - 1 - x);
        const s = toSeam < seam ? 0.55 + 0.45 * (toSeam / seam) : 1;
        const f = plankTint[p]! * s;
        const o = i * 3;
        c.px[o] = col[0] * f;
        c.px[o + 1] = col[1] * f;
        c.px[o + 2] = col[2] * f;
      }
    }
    applyLight(c, 0.5, 0.4, 0.7, 0.1, 0.22);
    addGrain(c, 1.0, subSeed(seed, 'grain'));
    return { canvas: c, horizonY: null };
  },
};
