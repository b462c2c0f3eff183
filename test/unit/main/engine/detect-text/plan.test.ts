import { describe, expect, it } from 'vitest';
import { planDetection } from '../../../../../main/engine/detect-text/plan.js';

describe('detection plan', () => {
  it('feeds an image that fits pixel for pixel, padded to multiples of 32', () => {
    const p = planDetection(1024, 1072);
    expect(p).toMatchObject({ canvasWidth: 1024, canvasHeight: 1072, scaleX: 1, scaleY: 1, coarse: null });
    expect(p.tiles).toEqual([{ x: 0, y: 0, width: 1024, height: 1088, core: { x0: 0, y0: 0, x1: 1024, y1: 1072 } }]);
  });

  it('scales a large image so its long side fits, keeping the aspect ratio', () => {
    const p = planDetection(2400, 1600);
    expect(p.canvasWidth).toBe(1280);
    expect(p.canvasHeight).toBe(853);
    expect(p.tiles).toHaveLength(1);
    expect(p.tiles[0]!.width % 32).toBe(0);
    expect(p.tiles[0]!.height % 32).toBe(0);
  });

  it('tiles a 24 MP photo at a finer scale, with overlapping tiles whose cores cover the canvas once', () => {
    const p = planDetection(6000, 4000);
    expect(p.coarse).not.toBeNull();
    expect(p.canvasWidth).toBeGreaterThan(1280 * 1.4);
    expect(p.tiles.length).toBeGreaterThan(1);
    const covered = new Uint8Array(p.canvasWidth * p.canvasHeight);
    for (const t of p.tiles) {
      expect(t.width).toBeLessThanOrEqual(1280);
      expect(t.height).toBeLessThanOrEqual(1280);
      expect(t.width % 32 + (t.height % 32)).toBe(0);
      // The core lies inside the tile, away from its edges where tiles overlap.
      expect(t.core.x0).toBeGreaterThanOrEqual(t.x);
      expect(t.core.x1).toBeLessThanOrEqual(t.x + t.width);
      for (let y = t.core.y0; y < t.core.y1; y++) for (let x = t.core.x0; x < t.core.x1; x++) covered[y * p.canvasWidth + x]!++;
    }
    expect(covered.every((c) => c === 1)).toBe(true);
  });

  it('does not tile when told not to', () => {
    expect(planDetection(6000, 4000, { tileBelowScale: 0 }).tiles).toHaveLength(1);
  });
});
