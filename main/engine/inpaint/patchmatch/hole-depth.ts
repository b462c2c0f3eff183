import { K, type PmLevel } from './pm-level.js';

/**
 * How deep the hole reaches: the largest chamfer (3-4) distance, in pixels, from a target to the nearest
 * known pixel. It decides how many pyramid levels are worth building.
 */
export function holeDepth(level: PmLevel): number {
  const { w, h, st, targets } = level;
  const INF = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = st[i] === K ? 0 : INF;
  for (let y = 1; y < h; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      let v = d[i]!;
      if (v === 0) continue;
      const a = d[i - 1]! + 3;
      const b = d[i - w]! + 3;
      const c = d[i - w - 1]! + 4;
      const e = d[i - w + 1]! + 4;
      if (a < v) v = a;
      if (b < v) v = b;
      if (c < v) v = c;
      if (e < v) v = e;
      d[i] = v;
    }
  }
  for (let y = h - 2; y >= 0; y--) {
    for (let x = w - 2; x >= 1; x--) {
      const i = y * w + x;
      let v = d[i]!;
      if (v === 0) continue;
      const a = d[i + 1]! + 3;
      const b = d[i + w]! + 3;
      const c = d[i + w + 1]! + 4;
      const e = d[i + w - 1]! + 4;
      if (a < v) v = a;
      if (b < v) v = b;
      if (c < v) v = c;
      if (e < v) v = e;
      d[i] = v;
    }
  }
  let max = 0;
  for (let t = 0; t < targets.length; t++) {
    const v = d[targets[t]!]!;
    if (v > max && v < INF) max = v;
  }
  return max / 3;
}
