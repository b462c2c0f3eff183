import { K, type PmLevel } from './pm-level.js';
import type { VoteBuffers } from './vote.js';

const OMEGA = 1.7;

/**
 * Border colour matching, in the spirit of Poisson image editing: the synthesised patches also voted for
 * the known pixels just outside the hole; where those votes differ from the real pixels (a patch copied
 * from a slightly brighter or differently tinted spot), the difference is interpolated smoothly across
 * the hole (Laplace's equation, the border differences fixed) and added. The filled area keeps its
 * texture but meets the surrounding ring without a colour step, and on gradients it follows the ramp.
 */
export function matchBorderColour(level: PmLevel, buf: VoteBuffers, maxDepth: number, checkpoint: () => void): void {
  const { w, C, img, st, targets, tIndex } = level;
  const { acc, wsum } = buf;
  const n = targets.length;
  if (n === 0) return;

  // Compact problem: slots 0..n-1 are the targets (unknown differences), slots n.. the ring pixels
  // (known differences). nbr holds each target's 4 neighbour slots (-1 = no flux across that side).
  const ringSlot = new Int32Array(w * level.h).fill(-1);
  const nbr = new Int32Array(4 * n);
  let slots = n;
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    for (let q = 0; q < 4; q++) {
      const r = q === 0 ? p - 1 : q === 1 ? p + 1 : q === 2 ? p - w : p + w;
      let slot = tIndex[r]!;
      if (slot < 0 && st[r] === K && wsum[r]! > 0) {
        slot = ringSlot[r]!;
        if (slot < 0) slot = ringSlot[r] = slots++;
      }
      nbr[4 * t + q] = slot;
    }
  }
  if (slots === n) return;
  checkpoint();
  const val = new Float32Array(slots * C);
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    for (let q = 0; q < 4; q++) {
      const slot = nbr[4 * t + q]!;
      if (slot < n) continue;
      const r = q === 0 ? p - 1 : q === 1 ? p + 1 : q === 2 ? p - w : p + w;
      const inv = 1 / wsum[r]!;
      for (let c = 0; c < C; c++) val[slot * C + c] = img[r * C + c]! - acc[r * C + c]! * inv;
    }
  }

  // Start values: breadth-first from the ring inward, each target the mean of its already-set neighbours.
  const set = new Uint8Array(slots);
  set.fill(1, n);
  let frontier = new Int32Array(n);
  for (let t = 0; t < n; t++) frontier[t] = t;
  let count = n;
  let next = new Int32Array(n);
  const newly = new Int32Array(n);
  while (count > 0) {
    let nNext = 0;
    let nNew = 0;
    for (let k = 0; k < count; k++) {
      const t = frontier[k]!;
      let cnt = 0;
      for (let q = 0; q < 4; q++) {
        const slot = nbr[4 * t + q]!;
        if (slot < 0 || !set[slot]) continue;
        if (cnt === 0) for (let c = 0; c < C; c++) val[t * C + c] = 0;
        cnt++;
        for (let c = 0; c < C; c++) val[t * C + c] = val[t * C + c]! + val[slot * C + c]!;
      }
      if (cnt === 0) {
        next[nNext++] = t;
        continue;
      }
      for (let c = 0; c < C; c++) val[t * C + c] = val[t * C + c]! / cnt;
      newly[nNew++] = t;
    }
    checkpoint();
    if (nNew === 0) break; // the rest touches no ring (enclosed by other masks): its offset stays 0
    for (let k = 0; k < nNew; k++) set[newly[k]!] = 1;
    const swap = frontier;
    frontier = next;
    next = swap;
    count = nNext;
  }

  // Gauss–Seidel with over-relaxation. A missing neighbour (no flux across that side) points at the
  // pixel itself: same fixed point (the mean of the real neighbours), no branches in the sweep.
  for (let t = 0; t < n; t++) for (let q = 0; q < 4; q++) if (nbr[4 * t + q]! < 0) nbr[4 * t + q] = t;
  const sweeps = Math.min(16, 6 + 2 * Math.ceil(maxDepth));
  for (let s = 0; s < sweeps; s++) {
    for (let t = 0; t < n; t++) {
      const a = nbr[4 * t]! * C;
      const b = nbr[4 * t + 1]! * C;
      const c0 = nbr[4 * t + 2]! * C;
      const d = nbr[4 * t + 3]! * C;
      const o = t * C;
      for (let c = 0; c < C; c++) {
        const v = val[o + c]!;
        val[o + c] = v + OMEGA * ((val[a + c]! + val[b + c]! + val[c0 + c]! + val[d + c]!) * 0.25 - v);
      }
    }
    checkpoint();
  }
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    for (let c = 0; c < C; c++) {
      const v = img[p * C + c]! + val[t * C + c]!;
      img[p * C + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
}

/**
 * Seam feathering inside the hole only: target pixels touching known pixels are pulled by `amount`
 * toward the mean of those neighbours, and half as much one pixel further in (toward the mean of the
 * first ring). Known pixels never change.
 */
export function featherSeam(level: PmLevel, amount: number): void {
  if (amount <= 0) return;
  const { w, C, img, st, targets, tIndex } = level;
  const n = targets.length;
  const edge = new Uint8Array(n);
  const sum = new Float64Array(C);
  // First ring: reads only known neighbours, so it can be written in place.
  for (let t = 0; t < n; t++) {
    const p = targets[t]!;
    let cnt = 0;
    sum.fill(0);
    for (let q = 0; q < 4; q++) {
      const r = q === 0 ? p - 1 : q === 1 ? p + 1 : q === 2 ? p - w : p + w;
      if (st[r] !== K) continue;
      cnt++;
      for (let c = 0; c < C; c++) sum[c] = sum[c]! + img[r * C + c]!;
    }
    if (cnt === 0) continue;
    edge[t] = 1;
    for (let c = 0; c < C; c++) img[p * C + c] = (1 - amount) * img[p * C + c]! + (amount * sum[c]!) / cnt;
  }
  // Second ring: reads only first-ring pixels (already final).
  const half = amount / 2;
  for (let t = 0; t < n; t++) {
    if (edge[t]) continue;
    const p = targets[t]!;
    let cnt = 0;
    sum.fill(0);
    for (let q = 0; q < 4; q++) {
      const r = q === 0 ? p - 1 : q === 1 ? p + 1 : q === 2 ? p - w : p + w;
      const tr = tIndex[r]!;
      if (tr < 0 || !edge[tr]) continue;
      cnt++;
      for (let c = 0; c < C; c++) sum[c] = sum[c]! + img[r * C + c]!;
    }
    if (cnt === 0) continue;
    for (let c = 0; c < C; c++) img[p * C + c] = (1 - half) * img[p * C + c]! + (half * sum[c]!) / cnt;
  }
}
