/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher): for every pixel, the distance to
 * the nearest pixel where `inside(i)` holds. Linear time; used for trimaps, defringe bands and text
 * strokes.
 */
export function distanceTo(width: number, height: number, inside: (i: number) => boolean): Float32Array {
  const INF = 1e20;
  const f = new Float64Array(width * height);
  for (let i = 0; i < f.length; i++) f[i] = inside(i) ? 0 : INF;
  const n = Math.max(width, height);
  const line = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = f[y * width + x]!;
    edt1d(line, height, out, v, z);
    for (let y = 0; y < height; y++) f[y * width + x] = out[y]!;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = f[row + x]!;
    edt1d(line, width, out, v, z);
    for (let x = 0; x < width; x++) f[row + x] = out[x]!;
  }
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(f[i]!);
  return d;
}

function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = dq * dq + f[v[k]!]!;
  }
}
