/**
 * k-means on 3-D points (colours), deterministic: farthest-first seeding from a given first centre,
 * Lloyd iterations on an evenly strided sample, then every point assigned to its nearest centre.
 */
export interface Clusters {
  /** Cluster of each point (index into `centres`). */
  labels: Uint8Array;
  /** 3 numbers per cluster. Clusters that ended up empty are removed. */
  centres: Float32Array;
  count: number;
}

export function kmeans3(points: Float32Array, k: number, firstCentre: readonly [number, number, number], options: { sample?: number; iterations?: number; minSpread?: number } = {}): Clusters {
  const n = points.length / 3;
  const sampleSize = Math.min(n, options.sample ?? 4000);
  const iterations = options.iterations ?? 8;
  // Seeds closer than this (ΔE) to an existing centre are not worth a cluster.
  const minSpread = options.minSpread ?? 4;
  const step = n / Math.max(1, sampleSize);
  const sample = new Int32Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) sample[i] = Math.min(n - 1, Math.floor(i * step));

  const centres: number[] = [...firstCentre];
  const nearest = new Float32Array(sampleSize).fill(Infinity);
  while (centres.length / 3 < k) {
    const c = centres.length - 3;
    let far = -1;
    let farD = -1;
    for (let i = 0; i < sampleSize; i++) {
      const p = sample[i]! * 3;
      const d = dist2(points, p, centres, c);
      if (d < nearest[i]!) nearest[i] = d;
      if (nearest[i]! > farD) {
        farD = nearest[i]!;
        far = p;
      }
    }
    if (far < 0 || farD < minSpread * minSpread) break;
    centres.push(points[far]!, points[far + 1]!, points[far + 2]!);
  }

  let kk = centres.length / 3;
  const sampleLabels = new Uint8Array(sampleSize);
  for (let it = 0; it < iterations; it++) {
    const sums = new Float64Array(kk * 4);
    let moved = false;
    for (let i = 0; i < sampleSize; i++) {
      const p = sample[i]! * 3;
      const j = nearestCentre(points, p, centres, kk);
      if (j !== sampleLabels[i]) moved = true;
      sampleLabels[i] = j;
      sums[j * 4] = sums[j * 4]! + points[p]!;
      sums[j * 4 + 1] = sums[j * 4 + 1]! + points[p + 1]!;
      sums[j * 4 + 2] = sums[j * 4 + 2]! + points[p + 2]!;
      sums[j * 4 + 3] = sums[j * 4 + 3]! + 1;
    }
    for (let j = 0; j < kk; j++) {
      const m = sums[j * 4 + 3]!;
      if (m === 0) continue;
      centres[j * 3] = sums[j * 4]! / m;
      centres[j * 3 + 1] = sums[j * 4 + 1]! / m;
      centres[j * 3 + 2] = sums[j * 4 + 2]! / m;
    }
    if (!moved && it > 0) break;
  }

  // Assign everything, then drop empty clusters (relabelling densely).
  const labels = new Uint8Array(n);
  const sizes = new Int32Array(kk);
  for (let i = 0; i < n; i++) {
    const j = nearestCentre(points, i * 3, centres, kk);
    labels[i] = j;
    sizes[j] = sizes[j]! + 1;
  }
  const remap = new Uint8Array(kk);
  const kept: number[] = [];
  for (let j = 0; j < kk; j++) {
    if (sizes[j] === 0) continue;
    remap[j] = kept.length / 3;
    kept.push(centres[j * 3]!, centres[j * 3 + 1]!, centres[j * 3 + 2]!);
  }
  if (kept.length / 3 !== kk) for (let i = 0; i < n; i++) labels[i] = remap[labels[i]!]!;
  kk = kept.length / 3;
  return { labels, centres: Float32Array.from(kept), count: kk };
}

function dist2(points: Float32Array, p: number, centres: ArrayLike<number>, c: number): number {
  const a = points[p]! - centres[c]!;
  const b = points[p + 1]! - centres[c + 1]!;
  const d = points[p + 2]! - centres[c + 2]!;
  return a * a + b * b + d * d;
}

function nearestCentre(points: Float32Array, p: number, centres: ArrayLike<number>, k: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < k; j++) {
    const d = dist2(points, p, centres, j * 3);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}
