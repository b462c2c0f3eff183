/** Plane geometry for text regions: convex hulls and rotated rectangles (image coordinates, y down). */

export type Point = [number, number];

/** A rectangle of size width×height centred at (cx, cy), its width axis turned by `angle` radians. */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

/** Andrew's monotone chain; returns the hull counter-clockwise (in y-up terms) without repeating the first point. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length <= 2) return pts;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Smallest-area enclosing rectangle (one side lies on a hull edge, so trying every edge direction is exact).
 * The result has width ≥ height, so `angle` is the direction of the text line for horizontal-ish text.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  const n = hull.length;
  const directions = n < 2 ? [0] : hull.map((p, i) => Math.atan2(hull[(i + 1) % n]![1] - p[1], hull[(i + 1) % n]![0] - p[0]));
  for (const dir of directions) {
    const ux = Math.cos(dir);
    const uy = Math.sin(dir);
    let minS = Infinity;
    let maxS = -Infinity;
    let minT = Infinity;
    let maxT = -Infinity;
    for (const [x, y] of hull) {
      const s = x * ux + y * uy;
      const t = -x * uy + y * ux;
      if (s < minS) minS = s;
      if (s > maxS) maxS = s;
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
    const area = (maxS - minS) * (maxT - minT);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const s = (minS + maxS) / 2;
      const t = (minT + maxT) / 2;
      best = { cx: s * ux - t * uy, cy: s * uy + t * ux, width: maxS - minS, height: maxT - minT, angle: dir };
    }
  }
  return normaliseRect(best!);
}

/** Same rectangle with width ≥ height and angle in (-π/2, π/2]. */
export function normaliseRect(r: RotatedRect): RotatedRect {
  let { width, height, angle } = r;
  if (height > width) {
    [width, height] = [height, width];
    angle += Math.PI / 2;
  }
  while (angle > Math.PI / 2 + 1e-9) angle -= Math.PI;
  while (angle <= -Math.PI / 2 + 1e-9) angle += Math.PI;
  return { cx: r.cx, cy: r.cy, width, height, angle };
}

/** Corners clockwise on screen, starting top-left of the (unrotated) rectangle. */
export function rectCorners(r: RotatedRect): Point[] {
  const ux = Math.cos(r.angle);
  const uy = Math.sin(r.angle);
  const hw = r.width / 2;
  const hh = r.height / 2;
  const at = (s: number, t: number): Point => [r.cx + s * ux - t * uy, r.cy + s * uy + t * ux];
  return [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)];
}

/** The rectangle grown by `by` on every side (negative shrinks, never below 0). */
export function growRect(r: RotatedRect, by: number): RotatedRect {
  return { ...r, width: Math.max(0, r.width + 2 * by), height: Math.max(0, r.height + 2 * by) };
}

/**
 * DB's unclip: push every side out by area × ratio / perimeter (PaddleOCR does this with a polygon
 * offset; for a rectangle that is the same rectangle grown on each side).
 */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (r.width + r.height);
  if (perimeter <= 0) return r;
  return growRect(r, (r.width * r.height * ratio) / perimeter);
}

/** Axis-aligned bounds of a polygon. */
export function polygonBounds(points: readonly Point[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}

/**
 * Local frame of a rotated rectangle: for a point, `s` runs along the width axis and `t` along the
 * height axis, both 0 at the centre. Cheap enough to call per pixel.
 */
export function rectFrame(r: RotatedRect): (x: number, y: number) => [number, number] {
  const ux = Math.cos(r.angle);
  const uy = Math.sin(r.angle);
  return (x, y) => {
    const dx = x - r.cx;
    const dy = y - r.cy;
    return [dx * ux + dy * uy, -dx * uy + dy * ux];
  };
}
