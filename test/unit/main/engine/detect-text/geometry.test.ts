import { describe, expect, it } from 'vitest';
import { convexHull, minAreaRect, rectCorners, unclipRect, type Point } from '../../../../../main/engine/detect-text/geometry.js';

const deg = (d: number) => (d * Math.PI) / 180;

describe('text-region geometry', () => {
  it('finds the hull of a point cloud, dropping interior points', () => {
    const pts: Point[] = [[0, 0], [4, 0], [4, 3], [0, 3], [2, 1], [1, 2], [3, 2]];
    expect(convexHull(pts).sort()).toEqual([[0, 0], [0, 3], [4, 0], [4, 3]].sort());
  });

  it.each([0, 12, -25, 60, 90])('recovers a %i° rotated line box from its filled pixels', (angle) => {
    const truth = { cx: 200, cy: 150, width: 160, height: 30, angle: deg(angle) };
    const corners = rectCorners(truth);
    // Sample points densely inside the rectangle, as a detector's component would be.
    const pts: Point[] = [];
    for (let s = -80; s <= 80; s += 2) for (let t = -15; t <= 15; t += 2) pts.push([200 + s * Math.cos(truth.angle) - t * Math.sin(truth.angle), 150 + s * Math.sin(truth.angle) + t * Math.cos(truth.angle)]);
    pts.push(...corners);
    const r = minAreaRect(pts);
    expect(r.width).toBeCloseTo(160, 3);
    expect(r.height).toBeCloseTo(30, 3);
    expect(r.cx).toBeCloseTo(200, 3);
    expect(r.cy).toBeCloseTo(150, 3);
    // A line at 90° and one at −90° are the same line.
    const got = ((r.angle * 180) / Math.PI + 180) % 180;
    expect(Math.min(Math.abs(got - ((angle + 180) % 180)), 180 - Math.abs(got - ((angle + 180) % 180)))).toBeLessThan(1e-6);
  });

  it('unclips by area × ratio / perimeter on every side (the DB offset)', () => {
    const r = unclipRect({ cx: 0, cy: 0, width: 100, height: 20, angle: 0 }, 1.5);
    const d = (100 * 20 * 1.5) / 240;
    expect(r.width).toBeCloseTo(100 + 2 * d);
    expect(r.height).toBeCloseTo(20 + 2 * d);
  });
});
