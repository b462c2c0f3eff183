/**
 * Weighted sum of squared differences between the (2R+1)² patches centred at target `p` and source `s`
 * of an interleaved C-channel image; `wt` weighs the target's pixels (0 = unknown, ignored). Stops early,
 * after a row, once the sum reaches `best` (the caller only wants to know whether it is better).
 */
export function patchDistance(
  img: Float32Array,
  wt: Float32Array,
  C: number,
  w: number,
  R: number,
  p: number,
  s: number,
  best: number,
): number {
  const P = 2 * R + 1;
  let sum = 0;
  if (C === 3) {
    for (let dy = -R; dy <= R; dy++) {
      let pi = p + dy * w - R;
      let a = pi * 3;
      let b = (s + dy * w - R) * 3;
      for (let k = 0; k < P; k++, pi++, a += 3, b += 3) {
        const d0 = img[a]! - img[b]!;
        const d1 = img[a + 1]! - img[b + 1]!;
        const d2 = img[a + 2]! - img[b + 2]!;
        sum += wt[pi]! * (d0 * d0 + d1 * d1 + d2 * d2);
      }
      if (sum >= best) return sum;
    }
    return sum;
  }
  for (let dy = -R; dy <= R; dy++) {
    let pi = p + dy * w - R;
    let a = pi * C;
    let b = (s + dy * w - R) * C;
    for (let k = 0; k < P; k++, pi++) {
      let e = 0;
      for (let c = 0; c < C; c++, a++, b++) {
        const d = img[a]! - img[b]!;
        e += d * d;
      }
      sum += wt[pi]! * e;
    }
    if (sum >= best) return sum;
  }
  return sum;
}
