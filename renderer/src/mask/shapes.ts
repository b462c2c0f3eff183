import type { PaintMode } from './brush';
import { assertMaskSize, clipRect, type Rect } from './rect';

/**
 * Rectangle and lasso fills, in place. A pixel belongs to a shape when its centre does. `mode`:
 * 'paint' sets 255, 'erase' sets 0, a number sets that value (so `subtract ? 0 : 255` works too).
 * Both return the changed rect (or null).
 */
export type FillMode = PaintMode | number;

/** Fill a rectangle (fractional or negative-size rects are fine: see rectFromCorners). */
export function fillRect(mask: Uint8Array, width: number, height: number, rect: Rect, mode: FillMode): Rect | null {
  assertMaskSize(mask, width, height);
  const x0 = Math.min(rect.x, rect.x + rect.width);
  const x1 = Math.max(rect.x, rect.x + rect.width);
  const y0 = Math.min(rect.y, rect.y + rect.height);
  const y1 = Math.max(rect.y, rect.y + rect.height);
  // Pixel i is inside when its centre i+0.5 lies in [x0, x1): i in [round(x0), round(x1)).
  const r = clipRect(Math.round(x0), Math.round(y0), Math.round(x1), Math.round(y1), width, height);
  if (!r) return null;
  const value = fillValue(mode);
  for (let y = r.y; y < r.y + r.height; y++) {
    const start = y * width + r.x;
    mask.fill(value, start, start + r.width);
  }
  return r;
}

/** The rect spanned by two corners in any order (a drag from (x0,y0) to (x1,y1)). */
export function rectFromCorners(x0: number, y0: number, x1: number, y1: number): Rect {
  return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
}

export function fillValue(mode: FillMode): number {
  if (mode === 'paint') return 255;
  if (mode === 'erase') return 0;
  if (!Number.isFinite(mode)) throw new Error(`fill value must be 'paint', 'erase' or 0–255, got ${String(mode)}`);
  return Math.max(0, Math.min(255, Math.round(mode)));
}

/**
 * Fill a closed polygon (lasso) given as flat coordinates [x0, y0, x1, y1, ...] (Konva's `points`
 * format), with the even-odd rule, so a self-crossing lasso behaves like other editors.
 */
export function fillPolygon(mask: Uint8Array, width: number, height: number, points: ArrayLike<number>, mode: FillMode): Rect | null {
  assertMaskSize(mask, width, height);
  const n = Math.floor(points.length / 2);
  if (n < 3) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error('fillPolygon: points must be finite numbers');
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const bounds = clipRect(minX, minY, maxX, maxY, width, height);
  if (!bounds) return null;

  const value = fillValue(mode);
  const xs = new Float64Array(n);
  let changed: Rect | null = null;
  let left = width;
  let right = 0;
  let top = height;
  let bottom = 0;

  for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
    const cy = y + 0.5;
    // Crossings of the scanline through pixel centres; half-open in y so shared vertices count once.
    let count = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ay = points[2 * j + 1]!;
      const by = points[2 * i + 1]!;
      if (ay <= cy !== by <= cy) {
        const ax = points[2 * j]!;
        const bx = points[2 * i]!;
        xs[count++] = ax + ((cy - ay) / (by - ay)) * (bx - ax);
      }
    }
    if (count < 2) continue;
    const sorted = xs.subarray(0, count).sort();
    const row = y * width;
    for (let k = 0; k + 1 < count; k += 2) {
      // Pixels whose centre x+0.5 lies in [xa, xb).
      const from = Math.max(0, Math.ceil(sorted[k]! - 0.5));
      const to = Math.min(width, Math.ceil(sorted[k + 1]! - 0.5));
      if (to <= from) continue;
      mask.fill(value, row + from, row + to);
      left = Math.min(left, from);
      right = Math.max(right, to);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y + 1);
    }
  }
  if (right > left && bottom > top) changed = { x: left, y: top, width: right - left, height: bottom - top };
  return changed;
}
