import { assertMaskSize, clipRect, type Rect } from './rect';

export type PaintMode = 'paint' | 'erase';

export interface BrushOptions {
  /** Diameter in mask pixels. */
  size: number;
  /** 1 = hard edge (binary), 0 = soft all the way from the centre. */
  hardness: number;
  mode: PaintMode;
}

/**
 * Brush coverage at normalised distance t = d / radius: 1 inside the hard core (t ≤ hardness), a
 * smoothstep down to 0 at the rim. hardness 1 is a binary disc.
 */
export function brushProfile(t: number, hardness: number): number {
  const h = Math.min(1, Math.max(0, hardness));
  if (t > 1) return 0;
  if (h >= 1 || t <= h) return 1;
  const u = (t - h) / (1 - h);
  return 1 - u * u * (3 - 2 * u);
}

/**
 * Paint (max-combine) or erase (reduce) the capsule swept by a round brush from (x0,y0) to (x1,y1),
 * in place. Coverage is computed from each pixel centre's exact distance to the segment, i.e. the
 * limit of dab spacing → 0: a fast stroke has no gaps or scallops, and because max/min combining is
 * idempotent, consecutive segments sharing an end point do not build up at the joint.
 * Coordinates are in mask pixels (pixel (i,j) covers [i,i+1)×[j,j+1)). Returns the rect that may
 * have changed (redraw only that), or null if the stroke misses the mask.
 */
export function stampSegment(
  mask: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  options: BrushOptions,
): Rect | null {
  assertMaskSize(mask, width, height);
  const r = Math.max(0.5, options.size / 2);
  const rect = clipRect(Math.min(x0, x1) - r, Math.min(y0, y1) - r, Math.max(x0, x1) + r, Math.max(y0, y1) + r, width, height);
  if (!rect) return null;

  const hardness = Math.min(1, Math.max(0, options.hardness));
  const erase = options.mode === 'erase';
  const r2 = r * r;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  // Soft coverage looked up by (d/r)² in 1/4096 steps: no sqrt per pixel, smooth enough for 8 bits.
  const lut = hardness >= 1 ? null : coverageTable(hardness);
  const toIndex = LUT_STEPS / r2;

  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const py = y + 0.5 - y0;
    const row = y * width;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const px = x + 0.5 - x0;
      let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d2 = ex * ex + ey * ey;
      if (d2 > r2) continue;
      const v = lut ? lut[(d2 * toIndex) | 0]! : 255;
      if (v === 0) continue;
      const i = row + x;
      if (erase) {
        const keep = 255 - v;
        if (mask[i]! > keep) mask[i] = keep;
      } else if (mask[i]! < v) mask[i] = v;
    }
  }
  return rect;
}

/** A single dab (pointer-down without movement). */
export function stampDab(mask: Uint8Array, width: number, height: number, x: number, y: number, options: BrushOptions): Rect | null {
  return stampSegment(mask, width, height, x, y, x, y, options);
}

const LUT_STEPS = 4096;
const tables = new Map<number, Uint8Array>();

function coverageTable(hardness: number): Uint8Array {
  let table = tables.get(hardness);
  if (!table) {
    table = new Uint8Array(LUT_STEPS + 1);
    for (let i = 0; i <= LUT_STEPS; i++) table[i] = Math.round(255 * brushProfile(Math.sqrt(i / LUT_STEPS), hardness));
    // A small cache: a stroke uses one hardness; keep the last few.
    if (tables.size > 8) tables.delete(tables.keys().next().value!);
    tables.set(hardness, table);
  }
  return table;
}
