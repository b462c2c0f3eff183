import { describe, expect, it } from 'vitest';
import { fitPlane, residualNorm } from '../../../../../main/engine/detect-text/background-plane.js';

describe('background colour plane', () => {
  it('fits a linear gradient exactly, so subtracting it leaves flat zero', () => {
    const pts = Array.from({ length: 60 }, (_, q) => [(q % 10) * 7 - 30, Math.floor(q / 10) * 5 - 12] as const);
    const colour = (q: number, c: number) => [50 + 0.4 * pts[q]![0] - 0.2 * pts[q]![1], 10 - 0.1 * pts[q]![0], -5 + 0.3 * pts[q]![1]][c]!;
    const idx = pts.map((_, q) => q);
    const model = fitPlane(idx, (q) => pts[q]!, colour);
    for (const q of idx) expect(residualNorm(model, q, (i) => pts[i]!, colour)).toBeLessThan(1e-9);
  });

  it('falls back to the mean colour when the samples lie on one line (no spread across it)', () => {
    const pts = Array.from({ length: 20 }, (_, q) => [q, 3] as const);
    const model = fitPlane(pts.map((_, q) => q), (q) => pts[q]!, (q, c) => (c === 0 ? 40 + (q % 2) * 10 : 0));
    expect([model[0], model[1], model[2]]).toEqual([45, 0, 0]);
  });
});
