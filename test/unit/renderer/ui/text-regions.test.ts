import { describe, expect, it } from 'vitest';
import type { TextRegionPayload } from '../../../../preload/contract/detect';
import { BADGE_PX, badgeCentre, distanceToOutline, hitRegion, insidePolygon } from '../../../../renderer/src/editor/text-regions/region-hit';
import { enabledRegions, proposeRegions, setAllRegions, setRegion, toggleRegion } from '../../../../renderer/src/editor/text-regions/region-state';

function region(id: number, polygon: [number, number][]): TextRegionPayload {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  const x = Math.floor(Math.min(...xs));
  const y = Math.floor(Math.min(...ys));
  return { id, polygon, box: { x, y, w: Math.ceil(Math.max(...xs)) - x, h: Math.ceil(Math.max(...ys)) - y }, score: 0.9, lineHeight: 20, text: null };
}
const rect = (id: number, x: number, y: number, w: number, h: number) =>
  region(id, [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ]);

/** A headline, a price line under it, and a small label inside the headline's block. */
const HEADLINE = rect(1, 100, 100, 300, 60);
const PRICE = rect(2, 120, 170, 200, 30);
const LABEL = rect(3, 300, 110, 60, 20);
/** A line tilted by about 20°. */
const TILTED = region(4, [
  [500, 300],
  [640, 351],
  [630, 379],
  [490, 328],
]);
const ALL = [HEADLINE, PRICE, LABEL, TILTED];

describe('clicking proposed text regions on the canvas', () => {
  it('inside an outline picks that region; the smallest wins where regions nest', () => {
    expect(hitRegion(ALL, 150, 130, 1)).toBe(1);
    expect(hitRegion(ALL, 200, 185, 1)).toBe(2);
    expect(hitRegion(ALL, 320, 118, 1)).toBe(3);
    expect(hitRegion(ALL, 50, 50, 1)).toBeNull();
  });

  it('follows rotated outlines, not their bounding box', () => {
    expect(hitRegion(ALL, 565, 340, 1)).toBe(4);
    // Inside the box but well outside the tilted line.
    expect(insidePolygon(TILTED.polygon, 500, 370)).toBe(false);
    expect(hitRegion(ALL, 500, 370, 1)).toBeNull();
  });

  it('a click just outside an outline counts within a few screen pixels, at any zoom', () => {
    // 3 image px above the headline: 3 screen px at 100 %, 12 at 400 %.
    expect(hitRegion(ALL, 250, 97, 1)).toBe(1);
    expect(hitRegion(ALL, 250, 97, 4)).toBeNull();
    // 6 image px away is 3 screen px at 50 %.
    expect(hitRegion(ALL, 250, 94, 0.5)).toBe(1);
    expect(distanceToOutline(HEADLINE.polygon, 250, 94)).toBeCloseTo(6);
  });

  it('the number badge sits left of the line at a constant screen size and picks its region', () => {
    for (const zoom of [0.25, 1, 3]) {
      const c = badgeCentre(PRICE, zoom);
      expect(c.y).toBeCloseTo(185);
      expect(c.x).toBeLessThan(120);
      expect((120 - c.x) * zoom).toBeCloseTo(BADGE_PX / 2 + 4);
      expect(hitRegion(ALL, c.x, c.y, zoom)).toBe(2);
    }
  });
});

describe('proposed regions state', () => {
  const base = { docSerial: 3, image: 'a'.repeat(64), width: 800, height: 600 };

  it('starts with every region enabled; crops are ready at once only when there are none to load', () => {
    const s = proposeRegions(base, [HEADLINE, PRICE]);
    expect(s.enabled).toEqual([true, true]);
    expect(s.cropsReady).toBe(true);
    const withCrops = proposeRegions(base, [{ ...HEADLINE, mask: { x: 90, y: 90, width: 320, height: 80, asset: 'b'.repeat(64) } }]);
    expect(withCrops.cropsReady).toBe(false);
    expect(proposeRegions(base, []).regions).toEqual([]);
  });

  it('toggles one region, sets all or none, and keeps the same object when nothing changes', () => {
    const s = proposeRegions(base, [HEADLINE, PRICE, LABEL]);
    const off = toggleRegion(s, 2);
    expect(off.enabled).toEqual([true, false, true]);
    expect(enabledRegions(off).map((r) => r.id)).toEqual([1, 3]);
    expect(toggleRegion(off, 2).enabled).toEqual([true, true, true]);
    expect(setRegion(off, 2, false)).toBe(off);
    expect(toggleRegion(s, 99)).toBe(s);
    expect(setAllRegions(off, false).enabled).toEqual([false, false, false]);
    expect(enabledRegions(setAllRegions(off, false))).toEqual([]);
    expect(setAllRegions(s, true)).toBe(s);
    // The original is never modified (session state is replaced, not mutated).
    expect(s.enabled).toEqual([true, true, true]);
  });
});
