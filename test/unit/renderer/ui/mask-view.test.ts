import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MaskView } from '../../../../renderer/src/canvas/mask-view';
import { previewScale } from '../../../../renderer/src/assets/browser-codecs';

/** Just enough of a 2D canvas to see what MaskView puts where. */
function fakeCanvas(width: number, height: number) {
  const puts: { x: number; y: number; width: number; height: number }[] = [];
  let clears = 0;
  const ctx = {
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (_img: unknown, _dx: number, _dy: number, x: number, y: number, w: number, h: number) => puts.push({ x, y, width: w, height: h }),
    clearRect: () => clears++,
  };
  const canvas = { width, height, getContext: () => ctx } as unknown as HTMLCanvasElement;
  return { canvas, puts, clears: () => clears };
}

describe('MaskView (the overlay drawn in screen pixels)', () => {
  let frames: (() => void)[] = [];
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
  });
  afterEach(() => vi.unstubAllGlobals());
  const nextFrame = () => frames.splice(0).forEach((f) => f());

  function setup() {
    const W = 4096;
    const H = 4096;
    const mask = { data: new Uint8Array(W * H), width: W, height: H };
    const c = fakeCanvas(1440, 900);
    let mapping = { zoom: 0.2, x: 310, y: 40, pixelRatio: 1 };
    const view = new MaskView(c.canvas, { mask: () => mask, appearance: () => ({ color: '#ff3366', opacity: 0.5 }), mapping: () => mapping });
    return { view, c, mask, setMapping: (m: typeof mapping) => (mapping = m) };
  }

  it('draws the whole canvas once, then a brush dab puts only its few pixels, batched per frame', () => {
    const { view, c } = setup();
    view.invalidate(null);
    nextFrame();
    expect(c.puts).toEqual([{ x: 0, y: 0, width: 1440, height: 900 }]);
    // Three dabs in one frame (coalesced pointer events) → one small put.
    view.invalidate({ x: 1000, y: 1000, width: 120, height: 120 });
    view.invalidate({ x: 1010, y: 1004, width: 120, height: 120 });
    view.invalidate({ x: 1020, y: 1008, width: 120, height: 120 });
    expect(frames).toHaveLength(1);
    nextFrame();
    expect(c.puts).toHaveLength(2);
    const dab = c.puts[1]!;
    expect(dab.width * dab.height).toBeLessThan(40 * 40);
    expect(dab).toEqual({ x: 510, y: 240, width: 28, height: 26 });
  });

  it('redraws everything when the view moves or Konva resized (cleared) the canvas', () => {
    const { view, c, setMapping } = setup();
    view.invalidate(null);
    nextFrame();
    setMapping({ zoom: 0.4, x: 0, y: 0, pixelRatio: 1 });
    view.invalidate(null);
    nextFrame();
    expect(c.puts.at(-1)).toEqual({ x: 0, y: 0, width: 1440, height: 900 });
    (c.canvas as { width: number }).width = 1000; // stage resized
    view.invalidate({ x: 0, y: 0, width: 1, height: 1 });
    nextFrame();
    expect(c.puts.at(-1)).toEqual({ x: 0, y: 0, width: 1000, height: 900 });
  });

  it('with no mask it clears, and after dispose it draws nothing', () => {
    const W = 10;
    const c = fakeCanvas(20, 20);
    let mask: { data: Uint8Array; width: number; height: number } | null = null;
    const view = new MaskView(c.canvas, { mask: () => mask, appearance: () => ({ color: '#ff3366', opacity: 1 }), mapping: () => ({ zoom: 1, x: 0, y: 0, pixelRatio: 1 }) });
    view.invalidate(null);
    nextFrame();
    expect(c.clears()).toBe(1);
    mask = { data: new Uint8Array(W * W), width: W, height: W };
    view.dispose();
    view.invalidate(null);
    nextFrame();
    expect(c.puts).toEqual([]);
  });
});

describe('previewScale (quick first decode of a big JPEG)', () => {
  it('picks the coarsest JPEG scale that still fills the screen, or none for screen-sized images', () => {
    expect(previewScale(6000, 4000, 1440)).toBe(4); // 1500 px ≥ 1440
    expect(previewScale(6000, 4000, 2560)).toBe(2);
    expect(previewScale(6000, 4000, 3840)).toBe(1);
    expect(previewScale(16_000, 9_000, 1920)).toBe(8);
    expect(previewScale(1600, 1200, 1440)).toBe(1);
  });
});
