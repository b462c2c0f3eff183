import { hash2 } from './rng.js';

/** Smooth value noise in [0, 1] on an integer lattice (quintic fade), seeded. */
export function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const xf = x - xi;
  const yf = y - yi;
  const u = xf * xf * xf * (xf * (xf * 6 - 15) + 10);
  const v = yf * yf * yf * (yf * (yf * 6 - 15) + 10);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  const top = a + (b - a) * u;
  return top + (c + (d - c) * u - top) * v;
}

/** Fractal sum of `octaves` value noises (each twice the frequency, `gain` the amplitude), in ≈[0, 1]. */
export function fbm(x: number, y: number, seed: number, octaves = 4, gain = 0.5): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += valueNoise(x * f, y * f, seed + o * 1013) * amp;
    norm += amp;
    amp *= gain;
    f *= 2.03;
  }
  return sum / norm;
}

/**
 * A noise field over a width×height image with features about `period` px apart (`periodY` across
 * rows when it differs: wood grain), evaluated on a grid `step` px apart and interpolated
 * bilinearly: low-frequency fields cost a fraction of a full evaluation and look the same.
 */
export function noiseField(width: number, height: number, period: number, seed: number, octaves = 4, gain = 0.5, periodY = period): Float32Array {
  // The grid must resolve the finest octave (about 4 samples per wavelength), or the interpolation shows kinks.
  const finest = Math.min(period, periodY) / Math.pow(2.03, octaves - 1);
  const step = Math.max(1, Math.floor(finest / 4));
  const gw = Math.ceil(width / step) + 2;
  const gh = Math.ceil(height / step) + 2;
  const grid = new Float32Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) for (let gx = 0; gx < gw; gx++) grid[gy * gw + gx] = fbm((gx * step) / period, (gy * step) / periodY, seed, octaves, gain);
  if (step === 1) {
    const out = new Float32Array(width * height);
    for (let y = 0; y < height; y++) out.set(grid.subarray(y * gw, y * gw + width), y * width);
    return out;
  }
  const out = new Float32Array(width * height);
  const inv = 1 / step;
  for (let y = 0; y < height; y++) {
    const fy = y * inv;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const r0 = y0 * gw;
    const r1 = r0 + gw;
    for (let x = 0; x < width; x++) {
      const fx = x * inv;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const a = grid[r0 + x0]!;
      const b = grid[r0 + x0 + 1]!;
      const c = grid[r1 + x0]!;
      const d = grid[r1 + x0 + 1]!;
      const top = a + (b - a) * tx;
      out[y * width + x] = top + (c + (d - c) * tx - top) * ty;
    }
  }
  return out;
}
