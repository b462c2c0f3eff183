import { describe, expect, it } from 'vitest';
import { clampZoom, fitViewport, MAX_ZOOM, MIN_ZOOM, panBy, screenToImage, wheelZoomFactor, zoomAround, zoomPercent } from '../../../../renderer/src/editor/viewport';

describe('viewport', () => {
  it('fits a large image inside the view with padding, centred', () => {
    const vp = fitViewport({ width: 4000, height: 2000 }, { width: 1000, height: 800 }, 20);
    expect(vp.zoom).toBeCloseTo(960 / 4000);
    // Centred: equal margins left/right and top/bottom.
    expect(vp.x).toBe(Math.round((1000 - 4000 * vp.zoom) / 2));
    expect(vp.y).toBe(Math.round((800 - 2000 * vp.zoom) / 2));
  });

  it('never upscales a small image when fitting (100% at most)', () => {
    expect(fitViewport({ width: 200, height: 100 }, { width: 1600, height: 900 }).zoom).toBe(1);
  });

  it('keeps the image point under the cursor fixed while zooming', () => {
    const vp = { zoom: 0.5, x: 100, y: 50 };
    const anchor = { x: 400, y: 300 };
    const before = screenToImage(vp, anchor);
    const next = zoomAround(vp, 2, anchor);
    const after = screenToImage(next, anchor);
    expect(next.zoom).toBe(2);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('clamps zoom to sane limits', () => {
    expect(clampZoom(1000)).toBe(MAX_ZOOM);
    expect(clampZoom(0)).toBe(MIN_ZOOM);
    expect(zoomAround({ zoom: 1, x: 0, y: 0 }, 999, { x: 0, y: 0 }).zoom).toBe(MAX_ZOOM);
  });

  it('wheel down zooms out, wheel up zooms in, symmetric', () => {
    const out = wheelZoomFactor(100);
    const inn = wheelZoomFactor(-100);
    expect(out).toBeLessThan(1);
    expect(inn).toBeGreaterThan(1);
    expect(out * inn).toBeCloseTo(1);
    // A huge trackpad fling does not jump more than one step.
    expect(wheelZoomFactor(5000)).toBeCloseTo(out);
    // Line-mode deltas (Firefox-style) are scaled to pixels.
    expect(wheelZoomFactor(3, 1)).toBeLessThan(1);
  });

  it('pans and reports percentages', () => {
    expect(panBy({ zoom: 1, x: 10, y: 10 }, 5, -5)).toEqual({ zoom: 1, x: 15, y: 5 });
    expect(zoomPercent({ zoom: 0.7089, x: 0, y: 0 })).toBe(71);
    expect(zoomPercent({ zoom: 0.054, x: 0, y: 0 })).toBe(5.4);
  });
});
