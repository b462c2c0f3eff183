import { FILL, KNOWN, type FillContext, type FillCrop, type FillMethod } from './fill-types.js';
import { cropPlanes } from './crop-planes.js';
import { MinHeap } from './min-heap.js';

/**
 * Telea's fast-marching inpainting (A. Telea, "An Image Inpainting Technique Based on the Fast Marching
 * Method", 2004) — the method behind OpenCV's INPAINT_TELEA. The hole is filled from its boundary
 * inwards in order of distance T; each pixel becomes a weighted mean of known pixels within `radius`,
 * each extended by its gradient (first-order Taylor step), weighted by direction (along the boundary
 * normal), level-set distance (similar T) and geometric distance (1/r²).
 *
 * Differences from OpenCV, on purpose: values are kept as floats between steps (OpenCV rounds every
 * filled pixel to 8 bits before it is used as a source), the image gradient is the plain central
 * difference, and the gradient term is the paper's Σw·∇I·(p−q)/Σw (damped, from original pixels only)
 * rather than OpenCV's normalised vector.
 */

export const TELEA_RADIUS = 5;

/**
 * Weight of the first-order (gradient) term. The paper's full step overshoots next to sharp edges
 * (text over a photo: −1.7 dB PSNR in the filled area vs. none); half a step keeps most of its gain on
 * smooth gradients and scores best on both (measured on fixtures with drawn text).
 */
const TAYLOR = 0.5;

// Cell flags. Sources are flags <= BAND.
const F_KNOWN = 0;
const F_BAND = 1;
const F_INSIDE = 2;
const F_SKIP = 3;
const BIG = 1e6;

/** Eikonal update from the 4-neighbours whose flag is <= knownMax (first-order upwind, as in OpenCV). */
function solve(i: number, w: number, T: Float32Array, f: Uint8Array, knownMax: number): number {
  let a = BIG;
  if (f[i - w]! <= knownMax) a = T[i - w]!;
  if (f[i + w]! <= knownMax && T[i + w]! < a) a = T[i + w]!;
  let b = BIG;
  if (f[i - 1]! <= knownMax) b = T[i - 1]!;
  if (f[i + 1]! <= knownMax && T[i + 1]! < b) b = T[i + 1]!;
  const d = a - b;
  if (d >= 1 || d <= -1) return 1 + (a < b ? a : b);
  return (a + b + Math.sqrt(2 - d * d)) * 0.5;
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

export function teleaFill(crop: FillCrop, ctx: FillContext, radius = TELEA_RADIUS): void {
  const { width: W, height: H, state, fillCount } = crop;
  const N = W * H;
  if (fillCount === 0) return;
  const flag = new Uint8Array(N);
  const T = new Float32Array(N).fill(BIG);
  for (let i = 0; i < N; i++) {
    const s = state[i]!;
    flag[i] = s === KNOWN ? F_KNOWN : s === FILL ? F_INSIDE : F_SKIP;
  }

  // Narrow band: known pixels 4-adjacent to the hole, at T = 0. (The crop padding keeps i±1, i±W inside.)
  const heap = new MinHeap(fillCount + 1024);
  for (let i = 0; i < N; i++) {
    if (flag[i] !== F_INSIDE) continue;
    for (let q = 0; q < 4; q++) {
      const n = q === 0 ? i - W : q === 1 ? i - 1 : q === 2 ? i + W : i + 1;
      if (flag[n] === F_KNOWN) {
        flag[n] = F_BAND;
        T[n] = 0;
        heap.push(0, n);
      }
    }
  }
  if (heap.size === 0) return; // the hole has no known pixel next to it: nothing to propagate from
  ctx.checkpoint(0);

  outwardDistances(W, N, flag, T, heap, radius + 2);
  ctx.checkpoint(0);

  const split = cropPlanes(crop);
  const { planes } = split;
  const nAct = planes.length;
  if (nAct === 0) return;

  // Offsets of the disc of the given radius, with r = p − q and 1/|r|² precomputed.
  const offs: number[] = [];
  const rxs: number[] = [];
  const rys: number[] = [];
  const inv2: number[] = [];
  const invLen: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const d2 = dx * dx + dy * dy;
      if (d2 === 0 || d2 > radius * radius) continue;
      offs.push(dy * W + dx);
      rxs.push(-dx);
      rys.push(-dy);
      inv2.push(1 / d2);
      invLen.push(1 / Math.sqrt(d2));
    }
  }
  const K = offs.length;
  const offA = Int32Array.from(offs);
  const rxA = Float32Array.from(rxs);
  const ryA = Float32Array.from(rys);
  const inv2A = Float32Array.from(inv2);
  const invLenA = Float32Array.from(invLen);
  // Up to three planes get dedicated code; unused lanes point at an empty plane and are never read.
  const zero = new Float32Array(0);
  const P0 = planes[0] ?? zero;
  const P1 = planes[1] ?? zero;
  const P2 = planes[2] ?? zero;
  const extra = planes.slice(3);
  const accExtra = new Float64Array(extra.length);

  const fillPixel = (p: number) => {
    const tp = T[p]!;
    // Normal of the level set at p, from T of the neighbours already known.
    let gx = 0;
    let gy = 0;
    const kr = flag[p + 1]! <= F_BAND;
    const kl = flag[p - 1]! <= F_BAND;
    if (kr && kl) gx = (T[p + 1]! - T[p - 1]!) * 0.5;
    else if (kr) gx = T[p + 1]! - tp;
    else if (kl) gx = tp - T[p - 1]!;
    const kd = flag[p + W]! <= F_BAND;
    const ku = flag[p - W]! <= F_BAND;
    if (kd && ku) gy = (T[p + W]! - T[p - W]!) * 0.5;
    else if (kd) gy = T[p + W]! - tp;
    else if (ku) gy = tp - T[p - W]!;
    const gn = Math.sqrt(gx * gx + gy * gy);
    const invGn = gn > 0 ? 1 / gn : 0;

    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let e = 0; e < accExtra.length; e++) accExtra[e] = 0;
    let den = 0;
    for (let k = 0; k < K; k++) {
      const q = p + offA[k]!;
      if (flag[q]! > F_BAND) continue;
      const rx = rxA[k]!;
      const ry = ryA[k]!;
      let dir = 1;
      if (gn > 0) {
        dir = (rx * gx + ry * gy) * invLenA[k]! * invGn;
        if (dir < 0) dir = -dir;
        if (dir <= 0.01) dir = 1e-6;
      }
      const dt = T[q]! - tp;
      const w = (dir * inv2A[k]!) / (1 + (dt < 0 ? -dt : dt));
      den += w;
      // First-order term from the image gradient at q — only where q and its neighbours are original
      // pixels: extrapolating gradients of freshly filled pixels feeds back and blows up.
      let xr = 0;
      let xl = 0;
      let sx = 0;
      let yd = 0;
      let yu = 0;
      let sy = 0;
      if (state[q] === KNOWN) {
        const qr = state[q + 1] === KNOWN;
        const ql = state[q - 1] === KNOWN;
        if (qr || ql) {
          xr = qr ? 1 : 0;
          xl = ql ? -1 : 0;
          sx = (qr && ql ? 0.5 : 1) * rx * TAYLOR;
        }
        const qd = state[q + W] === KNOWN;
        const qu = state[q - W] === KNOWN;
        if (qd || qu) {
          yd = qd ? W : 0;
          yu = qu ? -W : 0;
          sy = (qd && qu ? 0.5 : 1) * ry * TAYLOR;
        }
      }
      const a = q + xr;
      const b = q + xl;
      const c = q + yd;
      const d = q + yu;
      s0 += w * (P0[q]! + (P0[a]! - P0[b]!) * sx + (P0[c]! - P0[d]!) * sy);
      if (nAct > 1) s1 += w * (P1[q]! + (P1[a]! - P1[b]!) * sx + (P1[c]! - P1[d]!) * sy);
      if (nAct > 2) s2 += w * (P2[q]! + (P2[a]! - P2[b]!) * sx + (P2[c]! - P2[d]!) * sy);
      for (let e = 0; e < extra.length; e++) {
        const X = extra[e]!;
        accExtra[e] = accExtra[e]! + w * (X[q]! + (X[a]! - X[b]!) * sx + (X[c]! - X[d]!) * sy);
      }
    }
    if (den <= 0) return;
    const inv = 1 / den;
    if (nAct > 0) P0[p] = clamp255(s0 * inv);
    if (nAct > 1) P1[p] = clamp255(s1 * inv);
    if (nAct > 2) P2[p] = clamp255(s2 * inv);
    for (let e = 0; e < extra.length; e++) extra[e]![p] = clamp255(accExtra[e]! * inv);
  };

  // March inwards: each popped pixel becomes KNOWN; its INSIDE neighbours get T and a value, join the band.
  let filled = 0;
  for (;;) {
    const i = heap.pop();
    if (i < 0) break;
    flag[i] = F_KNOWN;
    for (let q = 0; q < 4; q++) {
      const n = q === 0 ? i - W : q === 1 ? i - 1 : q === 2 ? i + W : i + 1;
      if (flag[n] !== F_INSIDE) continue;
      const t = solve(n, W, T, flag, F_BAND);
      T[n] = t;
      fillPixel(n);
      flag[n] = F_BAND;
      heap.push(t, n);
      if ((++filled & 2047) === 0) ctx.checkpoint(filled / fillCount);
    }
  }
  split.writeBack();
  ctx.checkpoint(1);
}

/**
 * Distances outside the hole, marching outward from the band up to `limit`, stored negated (as OpenCV
 * does) so that the level-set term compares T across the boundary. Known pixels farther out keep −BIG:
 * they are never within `radius` of a hole pixel anyway.
 */
function outwardDistances(W: number, N: number, flag: Uint8Array, T: Float32Array, band: MinHeap, limit: number) {
  // 0 = reached (band or accepted), 2 = candidate known pixel, 3 = not part of this march.
  const of = new Uint8Array(N);
  const heap = new MinHeap(band.size * 4 + 1024);
  for (let i = 0; i < N; i++) {
    const f = flag[i]!;
    if (f === F_BAND) {
      of[i] = 0;
      heap.push(0, i);
    } else of[i] = f === F_KNOWN ? 2 : 3;
  }
  for (;;) {
    const i = heap.pop();
    if (i < 0) break;
    for (let q = 0; q < 4; q++) {
      const n = q === 0 ? i - W : q === 1 ? i - 1 : q === 2 ? i + W : i + 1;
      if (of[n] !== 2) continue;
      const t = solve(n, W, T, of, 0);
      T[n] = t;
      of[n] = 0;
      if (t <= limit) heap.push(t, n);
    }
  }
  for (let i = 0; i < N; i++) if (flag[i] === F_KNOWN) T[i] = of[i] === 0 ? -T[i]! : -BIG;
}

export const teleaMethod: FillMethod = {
  id: 'telea',
  label: 'Fast (Telea)',
  margin: TELEA_RADIUS + 3,
  padding: TELEA_RADIUS + 2,
  fill: (crop, ctx) => teleaFill(crop, ctx, TELEA_RADIUS),
};
