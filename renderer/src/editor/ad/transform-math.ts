import type { Transform } from '../../../../preload/contract/document';
import type { Box } from './snapping';

/**
 * Konva's node model for ad layers: the layer's top-left at (x, y), rotated about it (degrees),
 * then scaled. The same matrix the compositor uses (main/engine/compose/patch.ts).
 */
export function layerCorners(t: Transform, width: number, height: number): { x: number; y: number }[] {
  const r = (t.rotation * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ].map(([u, v]) => ({ x: t.x + c * t.scaleX * u! - s * t.scaleY * v!, y: t.y + s * t.scaleX * u! + c * t.scaleY * v! }));
}

/** Axis-aligned canvas box of a width×height layer under `t`. */
export function layerBox(t: Transform, width: number, height: number): Box {
  const pts = layerCorners(t, width, height);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Unrotated layer of width×height scaled by `scale`, centred on `point`. */
export function centredAt(point: { x: number; y: number }, width: number, height: number, scale: number): Transform {
  return { x: point.x - (width * scale) / 2, y: point.y - (height * scale) / 2, scaleX: scale, scaleY: scale, rotation: 0 };
}

/** Scale at which a dropped product of width×height fills at most `share` of the canvas' smaller fit. */
export function dropScale(width: number, height: number, canvas: { width: number; height: number }, share = 0.5): number {
  return Math.min(1, (canvas.width * share) / width, (canvas.height * share) / height);
}

export function translated(t: Transform, dx: number, dy: number): Transform {
  return { ...t, x: t.x + dx, y: t.y + dy };
}

export function sameTransform(a: Transform, b: Transform, eps = 1e-6): boolean {
  return Math.abs(a.x - b.x) < eps && Math.abs(a.y - b.y) < eps && Math.abs(a.scaleX - b.scaleX) < eps && Math.abs(a.scaleY - b.scaleY) < eps && Math.abs(a.rotation - b.rotation) < eps;
}
