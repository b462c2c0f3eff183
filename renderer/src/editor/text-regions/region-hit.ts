import type { TextRegionPayload } from '../../../../preload/contract/detect';

/** Diameter of a region's number badge, in screen pixels (constant at every zoom). */
export const BADGE_PX = 18;
/** Gap between the badge and the start of its line, screen pixels. */
const BADGE_GAP_PX = 4;
/** How far outside its outline a click still picks a region, screen pixels. */
export const OUTLINE_SLOP_PX = 4;

type Region = Pick<TextRegionPayload, 'id' | 'polygon' | 'box'>;

/**
 * Centre of a region's badge in image pixels: just left of where its line starts, so a badge never
 * covers its own text and rarely the line above. (Polygons are 4 corners clockwise from top-left;
 * the left edge is corners 3→0.)
 */
export function badgeCentre(region: Region, zoom: number): { x: number; y: number } {
  const p = region.polygon;
  const [lx, ly] = p.length === 4 ? [(p[0]![0] + p[3]![0]) / 2, (p[0]![1] + p[3]![1]) / 2] : [region.box.x, region.box.y + region.box.h / 2];
  return { x: lx - (BADGE_PX / 2 + BADGE_GAP_PX) / zoom, y: ly };
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(polygon: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shortest distance from (x, y) to the polygon's outline. */
export function distanceToOutline(polygon: readonly (readonly [number, number])[], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [ax, ay] = polygon[j]!;
    const [bx, by] = polygon[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
  }
  return best;
}

/**
 * The region a click at image point (x, y) means, at `zoom`: a badge first (they sit on top), then
 * the smallest region whose outline contains the point or passes within a few screen pixels of it
 * (the smallest, so a line inside a bigger block can still be picked). null = none.
 */
export function hitRegion(regions: readonly Region[], x: number, y: number, zoom: number): number | null {
  const badgeR = BADGE_PX / 2 / zoom;
  for (const r of regions) {
    const c = badgeCentre(r, zoom);
    if (Math.hypot(x - c.x, y - c.y) <= badgeR) return r.id;
  }
  const slop = OUTLINE_SLOP_PX / zoom;
  let best: { id: number; area: number } | null = null;
  for (const r of regions) {
    const { box } = r;
    if (x < box.x - slop || y < box.y - slop || x > box.x + box.w + slop || y > box.y + box.h + slop) continue;
    if (!insidePolygon(r.polygon, x, y) && distanceToOutline(r.polygon, x, y) > slop) continue;
    const area = box.w * box.h;
    if (!best || area < best.area) best = { id: r.id, area };
  }
  return best?.id ?? null;
}
