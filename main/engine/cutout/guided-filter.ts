import { boxBlur } from '../compose/raster/blur.js';
import { resizePlane } from '../compose/raster/resize.js';

/**
 * The colour guided filter (He, Sun, Tang): filters `p` so its edges follow the edges of the RGB
 * guide — an alpha matte snaps to the object's real outline. Radius and eps are in full-resolution
 * pixels and [0, 1] colour units. Above `maxWork` pixels the coefficients are computed on a shrunken
 * copy and scaled back up (the "fast guided filter"), so a 24 MP photo costs about as much as 1 MP.
 */
export function guidedFilter(rgb: Uint8Array, p: Float32Array, width: number, height: number, radius: number, eps: number, maxWork = 1_200_000): Float32Array {
  const n = width * height;
  const s = n > maxWork ? Math.sqrt(n / maxWork) : 1;
  const w = Math.max(1, Math.round(width / s));
  const h = Math.max(1, Math.round(height / s));
  const r = Math.max(1, Math.round(radius / s));

  const guide = new Float32Array(n * 3);
  for (let i = 0; i < guide.length; i++) guide[i] = rgb[i]! / 255;
  const g = s > 1 ? resizePlane(guide, width, height, 3, w, h) : guide;
  const pp = s > 1 ? resizePlane(p, width, height, 1, w, h) : p;

  // 13 window sums in one interleaved buffer: I (3), p, I·Iᵀ (6), I·p (3).
  const m = w * h;
  const acc = new Float32Array(m * 13);
  for (let i = 0, o = 0; i < m; i++, o += 13) {
    const R = g[i * 3]!;
    const G = g[i * 3 + 1]!;
    const B = g[i * 3 + 2]!;
    const P = pp[i]!;
    acc[o] = R;
    acc[o + 1] = G;
    acc[o + 2] = B;
    acc[o + 3] = P;
    acc[o + 4] = R * R;
    acc[o + 5] = R * G;
    acc[o + 6] = R * B;
    acc[o + 7] = G * G;
    acc[o + 8] = G * B;
    acc[o + 9] = B * B;
    acc[o + 10] = R * P;
    acc[o + 11] = G * P;
    acc[o + 12] = B * P;
  }
  boxBlur(acc, w, h, 13, r);

  const ab = new Float32Array(m * 4);
  for (let i = 0, o = 0; i < m; i++, o += 13) {
    const mr = acc[o]!;
    const mg = acc[o + 1]!;
    const mb = acc[o + 2]!;
    const mp = acc[o + 3]!;
    const rr = acc[o + 4]! - mr * mr + eps;
    const rg = acc[o + 5]! - mr * mg;
    const rb = acc[o + 6]! - mr * mb;
    const gg = acc[o + 7]! - mg * mg + eps;
    const gb = acc[o + 8]! - mg * mb;
    const bb = acc[o + 9]! - mb * mb + eps;
    const cr = acc[o + 10]! - mr * mp;
    const cg = acc[o + 11]! - mg * mp;
    const cb = acc[o + 12]! - mb * mp;
    // Σ⁻¹ by cofactors (Σ is symmetric positive definite thanks to eps).
    const i00 = gg * bb - gb * gb;
    const i01 = rb * gb - rg * bb;
    const i02 = rg * gb - rb * gg;
    const i11 = rr * bb - rb * rb;
    const i12 = rb * rg - rr * gb;
    const i22 = rr * gg - rg * rg;
    const det = rr * i00 + rg * i01 + rb * i02;
    const inv = det !== 0 ? 1 / det : 0;
    const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
    const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
    const abb = (i02 * cr + i12 * cg + i22 * cb) * inv;
    ab[i * 4] = ar;
    ab[i * 4 + 1] = ag;
    ab[i * 4 + 2] = abb;
    ab[i * 4 + 3] = mp - ar * mr - ag * mg - abb * mb;
  }
  boxBlur(ab, w, h, 4, r);
  const coef = s > 1 ? resizePlane(ab, w, h, 4, width, height) : ab;

  const q = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = coef[i * 4]! * guide[i * 3]! + coef[i * 4 + 1]! * guide[i * 3 + 1]! + coef[i * 4 + 2]! * guide[i * 3 + 2]! + coef[i * 4 + 3]!;
    q[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return q;
}
