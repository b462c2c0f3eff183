/**
 * Snapping guides for moving and resizing ad layers: the canvas centre, thirds and edges, and the
 * other layers' edges and centres. Pure: the caller passes boxes and a threshold in the same units
 * (canvas px = screen px / zoom), so the feel stays constant at every zoom.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A guide line: vertical at x = `at` (axis 'x') or horizontal at y = `at`, spanning from..to. */
export interface Guide {
  axis: 'x' | 'y';
  at: number;
  from: number;
  to: number;
}

export interface SnapTargets {
  xs: number[];
  ys: number[];
  /** The canvas, for guide extents. */
  canvas: Box;
}

export interface SnapResult {
  dx: number;
  dy: number;
  guides: Guide[];
}

/** Snap lines from a canvas of width×height and the boxes of the other layers. */
export function snapTargets(width: number, height: number, others: readonly Box[]): SnapTargets {
  const xs = [0, width / 3, width / 2, (2 * width) / 3, width];
  const ys = [0, height / 3, height / 2, (2 * height) / 3, height];
  for (const b of others) {
    xs.push(b.x0, (b.x0 + b.x1) / 2, b.x1);
    ys.push(b.y0, (b.y0 + b.y1) / 2, b.y1);
  }
  return { xs, ys, canvas: { x0: 0, y0: 0, x1: width, y1: height } };
}

/** The nearest target within `threshold` of any of `values`: the shift to apply, or null. */
export function nearest(values: readonly number[], targets: readonly number[], threshold: number): { shift: number; at: number } | null {
  let best: { shift: number; at: number } | null = null;
  for (const v of values) {
    for (const t of targets) {
      const d = t - v;
      if (Math.abs(d) <= threshold && (!best || Math.abs(d) < Math.abs(best.shift))) best = { shift: d, at: t };
    }
  }
  return best;
}

/** Where a moved box should go: shifted onto the nearest line per axis (edges or centre). */
export function snapMove(box: Box, targets: SnapTargets, threshold: number): SnapResult {
  const sx = nearest([box.x0, (box.x0 + box.x1) / 2, box.x1], targets.xs, threshold);
  const sy = nearest([box.y0, (box.y0 + box.y1) / 2, box.y1], targets.ys, threshold);
  const dx = sx?.shift ?? 0;
  const dy = sy?.shift ?? 0;
  const moved = { x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy };
  return { dx, dy, guides: guidesFor(moved, targets, sx?.at ?? null, sy?.at ?? null) };
}

export type Edge = 'left' | 'right' | 'top' | 'bottom';

/**
 * Resizing from a corner while the opposite corner stays put, keeping the aspect ratio: the moving
 * horizontal or vertical edge (whichever is closer to a line) lands on it, the other follows.
 */
export function snapResize(box: Box, moving: { x: 'left' | 'right'; y: 'top' | 'bottom' }, targets: SnapTargets, threshold: number): { box: Box; guides: Guide[] } {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  if (w <= 0 || h <= 0) return { box, guides: [] };
  const mx = moving.x === 'left' ? box.x0 : box.x1;
  const my = moving.y === 'top' ? box.y0 : box.y1;
  const sx = nearest([mx], targets.xs, threshold);
  const sy = nearest([my], targets.ys, threshold);
  const useX = sx && (!sy || Math.abs(sx.shift) <= Math.abs(sy.shift));
  if (!sx && !sy) return { box, guides: [] };
  // New size from the snapped edge; the fixed corner stays where it was.
  const k = useX ? (w + (moving.x === 'left' ? -sx.shift : sx.shift)) / w : (h + (moving.y === 'top' ? -sy!.shift : sy!.shift)) / h;
  if (!(k > 0)) return { box, guides: [] };
  const nw = w * k;
  const nh = h * k;
  const out: Box = {
    x0: moving.x === 'left' ? box.x1 - nw : box.x0,
    x1: moving.x === 'left' ? box.x1 : box.x0 + nw,
    y0: moving.y === 'top' ? box.y1 - nh : box.y0,
    y1: moving.y === 'top' ? box.y1 : box.y0 + nh,
  };
  return { box: out, guides: guidesFor(out, targets, useX ? sx.at : null, useX ? null : sy!.at) };
}

function guidesFor(box: Box, targets: SnapTargets, x: number | null, y: number | null): Guide[] {
  const c = targets.canvas;
  const guides: Guide[] = [];
  if (x !== null) guides.push({ axis: 'x', at: x, from: Math.min(c.y0, box.y0), to: Math.max(c.y1, box.y1) });
  if (y !== null) guides.push({ axis: 'y', at: y, from: Math.min(c.x0, box.x0), to: Math.max(c.x1, box.x1) });
  return guides;
}
