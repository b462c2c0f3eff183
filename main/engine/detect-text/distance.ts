/**
 * Squared Euclidean distance from every pixel to the nearest "on" pixel (Felzenszwalb & Huttenlocher's
 * separable transform, exact, O(width × height)). Pixels with no "on" pixel at all get Infinity.
 */
export function squaredDistance(on: Uint8Array, width: number, height: number): Float32Array {
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = on[i] ? 0 : Infinity;
  const n = Math.max(width, height);
  const f = new Float32Array(n);
  const out = new Float32Array(n);
  const v = new Int32Array(n);
  const z = new Float32Array(n + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = d[y * width + x]!;
    transform1d(f, height, out, v, z);
    for (let y = 0; y < height; y++) d[y * width + x] = out[y]!;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = d[row + x]!;
    transform1d(f, width, out, v, z);
    for (let x = 0; x < width; x++) d[row + x] = out[x]!;
  }
  return d;
}

/** 1-D lower envelope of parabolas; f may hold Infinity. */
function transform1d(f: Float32Array, n: number, out: Float32Array, v: Int32Array, z: Float32Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    // z[0] is -Infinity, so this stops at k = 0 at the latest.
    let p = v[k]!;
    let s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
    while (s <= z[k]!) {
      k--;
      p = v[k]!;
      s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    out[q] = (q - p) * (q - p) + f[p]!;
  }
}
