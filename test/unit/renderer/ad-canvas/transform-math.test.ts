import { describe, expect, it } from 'vitest';
import { transformedBounds } from '../../../../main/engine/compose/patch';
import { backgroundRects } from '../../../../renderer/src/editor/ad/background-fit';
import { parseCutoutPayload } from '../../../../renderer/src/editor/ad/cutout-drop';
import { centredAt, dropScale, layerBox } from '../../../../renderer/src/editor/ad/transform-math';

describe('ad transform maths', () => {
  it('boxes a rotated, scaled layer exactly as the compositor places it', () => {
    const t = { x: 120, y: 40, scaleX: 0.8, scaleY: 0.8, rotation: 30 };
    const b = layerBox(t, 200, 100);
    const c = transformedBounds(t, 200, 100);
    expect(b).toEqual({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 });
  });

  it('centres a dropped product on the drop point at a size that fits the canvas', () => {
    const s = dropScale(2000, 1000, { width: 1080, height: 1080 });
    expect(s).toBeCloseTo(0.27);
    const t = centredAt({ x: 500, y: 300 }, 2000, 1000, s);
    const b = layerBox(t, 2000, 1000);
    expect((b.x0 + b.x1) / 2).toBeCloseTo(500);
    expect((b.y0 + b.y1) / 2).toBeCloseTo(300);
    expect(dropScale(100, 100, { width: 1080, height: 1080 })).toBe(1); // never enlarged
  });

  it('fits a background by cover (centre crop), contain (letterbox) and stretch', () => {
    expect(backgroundRects('cover', 2000, 1000, 1000, 1000)).toEqual({ sx: 500, sy: 0, sw: 1000, sh: 1000, dx: 0, dy: 0, dw: 1000, dh: 1000 });
    expect(backgroundRects('contain', 2000, 1000, 1000, 1000)).toEqual({ sx: 0, sy: 0, sw: 2000, sh: 1000, dx: 0, dy: 250, dw: 1000, dh: 500 });
    expect(backgroundRects('stretch', 2000, 1000, 1000, 1000)).toMatchObject({ dw: 1000, dh: 1000, sw: 2000 });
  });

  it('accepts only well-formed cut-out drops', () => {
    const hash = 'a'.repeat(64);
    expect(parseCutoutPayload(JSON.stringify({ asset: hash, width: 10, height: 20, madeBy: 'cutout:isnet', source: null }))).toEqual({
      asset: hash,
      width: 10,
      height: 20,
      madeBy: 'cutout:isnet',
      source: null,
    });
    expect(parseCutoutPayload('{"asset":"xyz","width":10,"height":20}')).toBeNull();
    expect(parseCutoutPayload(JSON.stringify({ asset: hash, width: 0, height: 20 }))).toBeNull();
    expect(parseCutoutPayload('not json')).toBeNull();
  });
});
