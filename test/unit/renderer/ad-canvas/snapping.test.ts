import { describe, expect, it } from 'vitest';
import { snapMove, snapResize, snapTargets } from '../../../../renderer/src/editor/ad/snapping';

describe('ad canvas snapping', () => {
  const targets = snapTargets(1000, 600, [{ x0: 700, y0: 100, x1: 800, y1: 300 }]);

  it('pulls a box whose centre is near the canvas centre onto it, with a guide there', () => {
    const r = snapMove({ x0: 396, y0: 50, x1: 596, y1: 150 }, targets, 8);
    expect(r.dx).toBe(4); // centre 496 → 500
    expect(r.guides).toContainEqual(expect.objectContaining({ axis: 'x', at: 500 }));
  });

  it('snaps to thirds, edges and other layers, but not from farther than the threshold', () => {
    expect(snapMove({ x0: 330, y0: 0, x1: 400, y1: 10 }, targets, 5).dx).toBeCloseTo(1000 / 3 - 330);
    expect(snapMove({ x0: 5, y0: 390, x1: 105, y1: 594 }, targets, 8)).toMatchObject({ dx: -5, dy: 6 });
    // Left edge near the other layer's right edge (800).
    expect(snapMove({ x0: 803, y0: 400, x1: 853, y1: 420 }, targets, 5).dx).toBe(-3);
    expect(snapMove({ x0: 120, y0: 40, x1: 150, y1: 60 }, targets, 5)).toMatchObject({ dx: 0, dy: 0, guides: [] });
  });

  it('picks the nearest line when several are in reach', () => {
    const t = snapTargets(100, 100, []);
    // x0 = 48 is 2 from the centre; x1 = 64 is 2.67 from the third at 66.67: the centre wins.
    expect(snapMove({ x0: 48, y0: 10, x1: 64, y1: 20 }, t, 4).dx).toBe(2);
  });

  it('resizes from a corner onto a line and keeps the aspect ratio and the opposite corner', () => {
    const box = { x0: 100, y0: 100, x1: 330, y1: 210 };
    const r = snapResize(box, { x: 'right', y: 'bottom' }, targets, 6);
    expect(r.box.x1).toBeCloseTo(1000 / 3);
    expect(r.box.x0).toBe(100);
    expect(r.box.y0).toBe(100);
    expect((r.box.x1 - r.box.x0) / (r.box.y1 - r.box.y0)).toBeCloseTo(230 / 110);
    expect(r.guides[0]).toMatchObject({ axis: 'x' });
  });
});
