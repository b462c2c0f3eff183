import { describe, expect, it } from 'vitest';
import { alphaHitRects, hitGridSize } from '../../../../renderer/src/editor/ad/alpha-hit';

describe('product hit area from alpha', () => {
  it('keeps only opaque cells, merged into runs, in layer px', () => {
    // 4×2 grid over a 400×100 layer: row 0 = . # # .  row 1 = # . . #
    const alpha = [0, 255, 200, 10, 255, 0, 39, 40];
    const rects = alphaHitRects(alpha, 4, 2, 400, 100);
    expect(rects.map((r) => [r.x, r.y, Math.round(r.width), Math.round(r.height)])).toEqual([
      [100, 0, 200, 50],
      [0, 50, 100, 50],
      [300, 50, 100, 50],
    ]);
  });

  it('has no hit area for a fully transparent cut-out', () => {
    expect(alphaHitRects(new Uint8Array(16), 4, 4, 40, 40)).toEqual([]);
  });

  it('sizes the grid by the longer side, never finer than the image', () => {
    expect(hitGridSize(1920, 960, 96)).toEqual({ gw: 96, gh: 48 });
    expect(hitGridSize(40, 20, 96)).toEqual({ gw: 40, gh: 20 });
    expect(hitGridSize(5000, 10, 96)).toEqual({ gw: 96, gh: 1 });
  });
});
