import { describe, expect, it } from 'vitest';
import { composeLayers } from '../../../../main/engine/compose/compose-pipeline';
import { edgeSchema, productShadowSchema, toneMatchSchema } from '../../../../preload/contract/ad-style';
import { canvasFromRgba, computeProductFx, prescaleRgba, type RgbaPatch } from '../../../../renderer/src/editor/ad/fx-pixels';
import { suggestTransform } from '../../../../renderer/src/editor/ad/auto-place-core';
import { layerBox } from '../../../../renderer/src/editor/ad/transform-math';

const W = 240;
const H = 200;

/** A warm backdrop with a darker floor below y = 140. */
function backdrop(): Uint8Array {
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const y = Math.floor(i / W);
    const v = y < 140 ? 225 : 170;
    rgba.set([v, v - 15, v - 40, 255], i * 4);
  }
  return rgba;
}

/** A blue disc product with a soft rim, transparent around it. */
function product(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5) / (size / 2);
      rgba.set([40, 70, 200, d < 0.9 ? 255 : d < 1 ? Math.round((1 - d) * 2550) : 0], (y * size + x) * 4);
    }
  }
  return rgba;
}

function over(canvas: Float32Array, p: RgbaPatch, opacity = 1): void {
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const i = (y * p.width + x) * 4;
      const a = (p.data[i + 3]! / 255) * opacity;
      const o = ((p.y + y) * W + p.x + x) * 3;
      for (let c = 0; c < 3; c++) canvas[o + c] = canvas[o + c]! + (p.data[i + c]! - canvas[o + c]!) * a;
    }
  }
}

const look = { shadow: productShadowSchema.parse({}), tone: toneMatchSchema.parse({ strength: 0.5 }), edge: edgeSchema.parse({}) };

describe('product effects as patches', () => {
  it('shadow patch then product patch over the backdrop give the compositor’s pixels', () => {
    const bg = backdrop();
    const prod = product(80);
    const transform = { x: 70, y: 60, scaleX: 1, scaleY: 1, rotation: 8 };
    const fx = computeProductFx({ canvas: canvasFromRgba(bg, W, H), rgba: prod, width: 80, height: 80, transform, opacity: 0.9, look });
    expect(fx.shadow).not.toBeNull();
    expect(fx.product).not.toBeNull();

    const mine = canvasFromRgba(bg, W, H).rgb;
    over(mine, fx.shadow!);
    over(mine, fx.product!, 0.9);

    const rgb = new Uint8Array(W * H * 3);
    for (let i = 0; i < W * H; i++) rgb.set(bg.subarray(i * 4, i * 4 + 3), i * 3);
    const ref = composeLayers(
      { width: W, height: H, background: rgb, layers: [{ kind: 'product', id: 'p', rgba: prod, width: 80, height: 80, transform, opacity: 0.9, ...look }] },
      { isCancelled: () => false, progress: () => {} },
    ).rgb;
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(Math.round(mine[i]!) - ref[i]!));
    expect(worst).toBeLessThanOrEqual(2); // 8-bit rounding of two patches
  });

  it('the shadow darkens the ground under the product and the product keeps its colour', () => {
    const fx = computeProductFx({ canvas: canvasFromRgba(backdrop(), W, H), rgba: product(80), width: 80, height: 80, transform: { x: 80, y: 60, scaleX: 1, scaleY: 1, rotation: 0 }, opacity: 1, look });
    const s = fx.shadow!;
    // Under the base (the disc's bottom is at y ≈ 137), centred: a dark, clearly visible shadow.
    let best = 0;
    let colour = 255;
    for (let y = 137; y < Math.min(s.y + s.height, 150); y++) {
      const at = ((y - s.y) * s.width + (120 - s.x)) * 4;
      if (s.data[at + 3]! > best) [best, colour] = [s.data[at + 3]!, s.data[at]!];
    }
    expect(best).toBeGreaterThan(60);
    expect(colour).toBeLessThan(40);
    const p = fx.product!;
    const mid = ((100 - p.y) * p.width + (120 - p.x)) * 4;
    expect(p.data[mid + 2]!).toBeGreaterThan(p.data[mid]! + 20); // still blue, if warmer (tone match 0.5)
    expect(p.data[mid + 3]).toBe(255);
  });

  it('with every effect off there is no shadow and the product is placed as is', () => {
    const off = { shadow: productShadowSchema.parse({ contact: { enabled: false }, drop: { enabled: false } }), tone: toneMatchSchema.parse({ enabled: false }), edge: edgeSchema.parse({ feather: 0, defringe: 0, lightWrap: 0 }) };
    const fx = computeProductFx({ canvas: canvasFromRgba(backdrop(), W, H), rgba: product(40), width: 40, height: 40, transform: { x: 10, y: 10, scaleX: 1, scaleY: 1, rotation: 0 }, opacity: 1, look: off });
    expect(fx.shadow).toBeNull();
    const p = fx.product!;
    const mid = ((30 - p.y) * p.width + (30 - p.x)) * 4;
    expect([...p.data.subarray(mid, mid + 4)]).toEqual([40, 70, 200, 255]);
  });

  it('shrinks a much smaller drawn product first and keeps its canvas size', () => {
    const t = { x: 0, y: 0, scaleX: 0.25, scaleY: 0.25, rotation: 0 };
    const s = prescaleRgba(product(80), 80, 80, t);
    expect(s.width).toBe(20);
    expect(s.transform.scaleX * s.width).toBeCloseTo(20);
    // Premultiplied: the rim is not darkened by the transparent black around it.
    const edge = (10 * 20 + 1) * 4;
    if (s.rgba[edge + 3]! > 0) expect(s.rgba[edge + 2]!).toBeGreaterThan(150);
  });

  it('auto place stands the product on the floor line and avoids a layer already there', () => {
    const bg = backdrop();
    const prod = product(80);
    const t = suggestTransform({ background: bg, channels: 4, width: W, height: H, product: { rgba: prod, width: 80, height: 80 }, others: [] });
    const box = layerBox(t, 80, 80);
    expect(box.y1).toBeGreaterThan(140);
    const t2 = suggestTransform({ background: bg, channels: 4, width: W, height: H, product: { rgba: prod, width: 80, height: 80 }, others: [box] });
    const box2 = layerBox(t2, 80, 80);
    const overlapW = Math.max(0, Math.min(box.x1, box2.x1) - Math.max(box.x0, box2.x0));
    expect(overlapW).toBeLessThan(box.x1 - box.x0);
  });
});
