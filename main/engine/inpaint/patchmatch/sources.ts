import { K, type PmLevel } from './pm-level.js';

export interface Sources {
  /** 1 where a patch centred here may be copied from. */
  valid: Uint8Array;
  /** The valid centres, for uniform random picks. */
  list: Int32Array;
}

/**
 * Valid source centres: the whole window of radius `radius + guard` is known. The guard keeps sources off
 * the pixels right next to the mask (anti-aliased glyph edges, halos), i.e. sources come from outside a
 * slightly dilated mask. One summed-area table of "not known" makes this O(pixels) for any radius.
 */
export function findSources(level: PmLevel, radius: number, guard: number): Sources {
  const { w, h, st } = level;
  const r = radius + guard;
  const W1 = w + 1;
  const sat = new Int32Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      if (st[y * w + x] !== K) row++;
      sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1]! + row;
    }
  }
  const valid = new Uint8Array(w * h);
  let n = 0;
  for (let y = r; y < h - r; y++) {
    const y0 = (y - r) * W1;
    const y1 = (y + r + 1) * W1;
    for (let x = r; x < w - r; x++) {
      const x0 = x - r;
      const x1 = x + r + 1;
      const bad = sat[y1 + x1]! - sat[y0 + x1]! - sat[y1 + x0]! + sat[y0 + x0]!;
      if (bad === 0) {
        valid[y * w + x] = 1;
        n++;
      }
    }
  }
  const list = new Int32Array(n);
  n = 0;
  for (let i = 0; i < valid.length; i++) if (valid[i]) list[n++] = i;
  return { valid, list };
}
