import type { Transform } from '../../../../preload/contract/document';
import { autoPlace } from '../../../../main/engine/compose/auto-place';
import { busyMap, type BusyMap } from '../../../../main/engine/compose/free-space';
import { detectGroundLine } from '../../../../main/engine/compose/ground-line';
import type { Box } from './snapping';
import { layerBox } from './transform-math';

/**
 * "Auto place" for one product on the ad canvas: the compositor's suggestion (ground line of the
 * background, quiet area, rule of thirds), then — when other layers are already there — the same
 * size moved to the candidate spot (centre or a third, on the ground line) that overlaps them least.
 */
export interface AutoPlaceInput {
  /** Canvas-sized backdrop, RGB (3 channels) or RGBA (4). */
  background: Uint8Array | Uint8ClampedArray;
  channels: 3 | 4;
  width: number;
  height: number;
  product: { rgba: Uint8Array | Uint8ClampedArray; width: number; height: number };
  others: readonly Box[];
}

export function suggestTransform(input: AutoPlaceInput): Transform {
  const { width: W, height: H } = input;
  const bg = input.background as Uint8Array;
  const bounds = solidBounds(input.product.rgba, input.product.width, input.product.height);
  const ground = detectGroundLine(bg, W, H, input.channels);
  const busy = busyMap(bg, W, H, input.channels);
  const placement = autoPlace({ width: W, height: H, ground, busy, products: [{ index: 0, bounds }], texts: [] });
  const t = placement.products.get(0)!;
  if (input.others.length === 0) return t;
  return leastOverlap(t, input, busy);
}

/** Solid silhouette (alpha ≥ 50 %) bounds; the whole image when nothing is solid. */
export function solidBounds(rgba: Uint8Array | Uint8ClampedArray, w: number, h: number): { x: number; y: number; width: number; height: number } {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (rgba[(y * w + x) * 4 + 3]! < 128) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? { x: 0, y: 0, width: w, height: h } : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function leastOverlap(t: Transform, input: AutoPlaceInput, busy: BusyMap): Transform {
  const { width: W } = input;
  const box = layerBox(t, input.product.width, input.product.height);
  const w = box.x1 - box.x0;
  const centres = [(box.x0 + box.x1) / 2, W / 2, W / 3, (2 * W) / 3, W / 4, (3 * W) / 4];
  let best = t;
  let bestScore = Infinity;
  for (const cx of centres) {
    const x0 = Math.min(Math.max(cx - w / 2, 0), W - w);
    const dx = x0 - box.x0;
    const moved = { x0: box.x0 + dx, y0: box.y0, x1: box.x1 + dx, y1: box.y1 };
    const area = (moved.x1 - moved.x0) * (moved.y1 - moved.y0) || 1;
    const overlap = input.others.reduce((s, o) => s + intersection(moved, o), 0) / area;
    const score = overlap * 4 + busy.mean(moved.x0, moved.y0, moved.x1, moved.y1);
    if (score < bestScore - 1e-9) {
      bestScore = score;
      best = { ...t, x: t.x + dx };
    }
  }
  return best;
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}
