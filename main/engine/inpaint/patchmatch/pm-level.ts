import { FILL, KNOWN, type FillCrop } from '../fill-types.js';

/** Pixel states inside a pyramid level. */
export const K = 0; // known original pixel: may be a source
export const T = 1; // target: a pixel of the hole we synthesise
export const S = 2; // neither: padding, or another region's masked pixel (its values are meaningless)

/**
 * One level of the pyramid. Arrays are padded by `pad` S-pixels on every side so that a patch window
 * around any target stays inside the arrays (no bounds checks in the hot loops).
 */
export interface PmLevel {
  /** Padded size. */
  w: number;
  h: number;
  pad: number;
  /** Active (non-constant) channels, interleaved: w*h*C floats 0..255. */
  C: number;
  img: Float32Array;
  st: Uint8Array;
  /** Weight of each pixel in a patch distance: 1 for K and T, 0 for S (unknown values must not count). */
  wt: Float32Array;
  /** Pixel indices of the T pixels in raster order. */
  targets: Int32Array;
  /** Per pixel: its index in `targets`, or -1. */
  tIndex: Int32Array;
}

function makeLevel(w: number, h: number, pad: number, C: number): PmLevel {
  return { w, h, pad, C, img: new Float32Array(w * h * C), st: new Uint8Array(w * h).fill(S), wt: new Float32Array(w * h), targets: new Int32Array(0), tIndex: new Int32Array(0) };
}

function finish(level: PmLevel): PmLevel {
  const { st, wt } = level;
  let n = 0;
  for (let i = 0; i < st.length; i++) {
    const s = st[i]!;
    wt[i] = s === S ? 0 : 1;
    if (s === T) n++;
  }
  const targets = new Int32Array(n);
  const tIndex = new Int32Array(st.length).fill(-1);
  n = 0;
  for (let i = 0; i < st.length; i++) {
    if (st[i] !== T) continue;
    tIndex[i] = n;
    targets[n++] = i;
  }
  level.targets = targets;
  level.tIndex = tIndex;
  return level;
}

/** Level 0 from the crop, keeping only the `active` channels. */
export function levelFromCrop(crop: FillCrop, active: readonly number[], pad: number): PmLevel {
  const { width: cw, height: ch, channels: CC, pixels, state } = crop;
  const C = active.length;
  const w = cw + 2 * pad;
  const h = ch + 2 * pad;
  const level = makeLevel(w, h, pad, C);
  const { img, st } = level;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const s = y * cw + x;
      const d = (y + pad) * w + x + pad;
      const cs = state[s];
      st[d] = cs === KNOWN ? K : cs === FILL ? T : S;
      for (let a = 0; a < C; a++) img[d * C + a] = pixels[s * CC + active[a]!]!;
    }
  }
  return finish(level);
}

/**
 * Halves a level: 2×2 box average of known children. A coarse pixel is a target if any child is, known
 * only if every child inside the level is known (so coarse sources never mix in unknown values).
 */
export function downsample(fine: PmLevel): PmLevel {
  const { w: fw, pad: fp, C } = fine;
  const fwu = fine.w - 2 * fp;
  const fhu = fine.h - 2 * fp;
  const wu = (fwu + 1) >> 1;
  const hu = (fhu + 1) >> 1;
  const pad = fp;
  const w = wu + 2 * pad;
  const level = makeLevel(w, hu + 2 * pad, pad, C);
  const { img, st } = level;
  const sum = new Float64Array(C);
  for (let y = 0; y < hu; y++) {
    for (let x = 0; x < wu; x++) {
      let known = 0;
      let target = false;
      let other = false;
      sum.fill(0);
      for (let dy = 0; dy < 2; dy++) {
        const fy = 2 * y + dy;
        if (fy >= fhu) continue;
        for (let dx = 0; dx < 2; dx++) {
          const fx = 2 * x + dx;
          if (fx >= fwu) continue;
          const fi = (fy + fp) * fw + fx + fp;
          const s = fine.st[fi];
          if (s === K) {
            known++;
            for (let a = 0; a < C; a++) sum[a] = sum[a]! + fine.img[fi * C + a]!;
          } else if (s === T) target = true;
          else other = true;
        }
      }
      const d = (y + pad) * w + x + pad;
      st[d] = target ? T : other || known === 0 ? S : K;
      if (known > 0) for (let a = 0; a < C; a++) img[d * C + a] = sum[a]! / known;
    }
  }
  return finish(level);
}

/** Sets the patch-distance weight of every target pixel (known pixels keep 1, others 0). */
export function setTargetWeight(level: PmLevel, weight: number): void {
  const { wt, targets } = level;
  for (let t = 0; t < targets.length; t++) wt[targets[t]!] = weight;
}

