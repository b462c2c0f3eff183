import { describe, expect, it } from 'vitest';
import { renderBackdrop } from '../../../../../main/engine/background/render.js';
import { busyMap } from '../../../../../main/engine/compose/free-space.js';
import { detectGroundLine, GROUND_DEPTH } from '../../../../../main/engine/compose/ground-line.js';

describe('ground line of a background', () => {
  it.each([1, 2, 3, 4, 5])('finds the table edge of a table-top backdrop (seed %i)', (seed) => {
    const b = renderBackdrop({ preset: 'tabletop', width: 540, height: 675, seed, palette: [] });
    const g = detectGroundLine(b.rgb, 540, 675);
    expect(b.horizonY).not.toBeNull();
    expect(Math.abs(g.horizonY! - b.horizonY!)).toBeLessThanOrEqual(2);
    expect(g.groundY).toBe(Math.round(g.horizonY! + GROUND_DEPTH * (675 - g.horizonY!)));
    expect(g.confidence).toBeGreaterThan(0);
  });

  it('finds the soft wall/floor line of the window-light backdrop and the surface edge behind bokeh', () => {
    for (const preset of ['window', 'bokeh'] as const) {
      const b = renderBackdrop({ preset, width: 540, height: 675, seed: 9, palette: [] });
      const g = detectGroundLine(b.rgb, 540, 675);
      expect(Math.abs(g.horizonY! - b.horizonY!)).toBeLessThanOrEqual(Math.ceil(0.012 * 675) + 2);
    }
  });

  it('reports no horizon on a seamless sweep or a texture: the ground is at 80 % of the height', () => {
    for (const preset of ['sweep', 'marble', 'linen'] as const) {
      const b = renderBackdrop({ preset, width: 400, height: 500, seed: 3, palette: [] });
      const g = detectGroundLine(b.rgb, 400, 500);
      expect(g.horizonY).toBeNull();
      expect(g.groundY).toBe(400);
    }
  });

  it('measures how busy a region is (quiet paper versus noise)', () => {
    const w = 300;
    const h = 200;
    const rgb = new Uint8Array(w * h * 3).fill(200);
    for (let y = 0; y < h; y++) for (let x = 0; x < 150; x++) rgb.fill((x * 7 + y * 13) % 2 ? 40 : 230, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const busy = busyMap(rgb, w, h);
    expect(busy.mean(0, 0, 140, 200)).toBeGreaterThan(0.5);
    expect(busy.mean(160, 0, 300, 200)).toBeLessThan(0.05);
  });
});
