import { minAreaRect, unclipRect, type Point, type RotatedRect } from './geometry.js';

/** DB (Differentiable Binarization) post-processing settings; defaults follow PaddleOCR's, tuned for erasing. */
export interface DbOptions {
  /** Probability above which a map pixel is text (PaddleOCR: 0.3). */
  binThreshold?: number;
  /** Minimum mean probability inside a candidate's rectangle (PaddleOCR: 0.6). */
  boxThreshold?: number;
  /** How far the shrunk text kernel is pushed back out: area × ratio / perimeter (PaddleOCR: 1.5). */
  unclipRatio?: number;
  /** Candidates whose short side is below this many map pixels are noise (PaddleOCR: 3). */
  minSize?: number;
  /** At most this many regions (largest first). */
  maxCandidates?: number;
}

export interface DbBox {
  /** Unclipped rectangle in probability-map pixels (x right, y down; pixel (i, j) spans [i, i+1)×[j, j+1)). */
  rect: RotatedRect;
  /** Mean probability inside the kernel rectangle, 0..1. */
  score: number;
}

export const DB_DEFAULTS: Required<DbOptions> = { binThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.6, minSize: 3, maxCandidates: 1000 };

/**
 * Turns the detector's probability map into rotated text-line rectangles: threshold, 8-connected
 * components, minimum-area rectangle of each, score from the mean probability inside, then unclip.
 */
export function dbBoxes(prob: Float32Array, width: number, height: number, options: DbOptions = {}, checkCancelled: () => void = () => {}): DbBox[] {
  const o = { ...DB_DEFAULTS, ...options };
  const n = width * height;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (prob[i]! <= o.binThreshold) seen[i] = 1; // background counts as visited
  const pixels = new Int32Array(n);
  const boxes: DbBox[] = [];

  const checkEvery = width * 64;
  for (let seed = 0; seed < n; seed++) {
    if (seed % checkEvery === 0) checkCancelled();
    if (seen[seed]) continue;
    // Flood fill: `pixels` is both the stack and, afterwards, the component's pixel list.
    seen[seed] = 1;
    pixels[0] = seed;
    let count = 1;
    let minY = height;
    let maxY = -1;
    for (let head = 0; head < count; head++) {
      if ((head & 0xffff) === 0xffff) checkCancelled(); // one component can be most of a big map
      const p = pixels[head]!;
      const x = p % width;
      const y = (p - x) / width;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (!seen[q]) {
            seen[q] = 1;
            pixels[count++] = q;
          }
        }
      }
    }
    if (count < o.minSize) continue;
    checkCancelled();
    const box = componentBox(pixels, count, minY, maxY, prob, width, o);
    if (box) boxes.push(box);
  }
  boxes.sort((a, b) => b.rect.width * b.rect.height - a.rect.width * a.rect.height);
  return boxes.slice(0, o.maxCandidates);
}

function componentBox(pixels: Int32Array, count: number, minY: number, maxY: number, prob: Float32Array, width: number, o: Required<DbOptions>): DbBox | null {
  // The hull only needs each row's extreme pixels (as pixel-corner points).
  const rows = maxY - minY + 1;
  const rowMin = new Int32Array(rows).fill(2 ** 30);
  const rowMax = new Int32Array(rows).fill(-1);
  for (let k = 0; k < count; k++) {
    const p = pixels[k]!;
    const x = p % width;
    const r = (p - x) / width - minY;
    if (x < rowMin[r]!) rowMin[r] = x;
    if (x > rowMax[r]!) rowMax[r] = x;
  }
  const points: Point[] = [];
  let minX = Infinity;
  let maxX = -Infinity;
  for (let r = 0; r < rows; r++) {
    if (rowMax[r]! < 0) continue;
    const y = minY + r;
    points.push([rowMin[r]!, y], [rowMin[r]!, y + 1], [rowMax[r]! + 1, y], [rowMax[r]! + 1, y + 1]);
    minX = Math.min(minX, rowMin[r]!);
    maxX = Math.max(maxX, rowMax[r]!);
  }
  const kernel = minAreaRect(points);
  if (kernel.height < o.minSize) return null;

  // Mean probability over the pixels whose centres lie in the kernel rectangle (PaddleOCR's "fast" score).
  const ux = Math.cos(kernel.angle);
  const uy = Math.sin(kernel.angle);
  const hw = kernel.width / 2 + 1e-6;
  const hh = kernel.height / 2 + 1e-6;
  let sum = 0;
  let inside = 0;
  for (let y = minY; y <= maxY; y++) {
    const dy = y + 0.5 - kernel.cy;
    for (let x = minX; x <= maxX; x++) {
      const dx = x + 0.5 - kernel.cx;
      const s = dx * ux + dy * uy;
      const t = dy * ux - dx * uy;
      if (s <= hw && s >= -hw && t <= hh && t >= -hh) {
        sum += prob[y * width + x]!;
        inside++;
      }
    }
  }
  const score = inside > 0 ? sum / inside : 0;
  if (score < o.boxThreshold) return null;
  const rect = unclipRect(kernel, o.unclipRatio);
  if (rect.height < o.minSize + 2) return null;
  return { rect, score };
}
