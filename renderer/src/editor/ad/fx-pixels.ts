import type { ProductRecord, Transform } from '../../../../preload/contract/document';
import { prepareProduct } from '../../../../main/engine/compose/product-effects';
import { resizePlane } from '../../../../main/engine/compose/raster/resize';
import { productRgba, shadowRgba, type RgbaPatch } from '../../../../main/engine/compose/rgba-patch';
import type { Canvas } from '../../../../main/engine/compose/shadows';

export type { RgbaPatch };

/**
 * The pixel side of a product's realism on the ad canvas (runs in the effects worker; pure, so
 * node tests run it too). It reuses the compositor's own functions (prepareProduct), so the canvas,
 * the export and the CLI agree on how a shadow, tone match or edge looks.
 */
export interface ProductFxInput {
  /** The backdrop under the product, canvas-sized. */
  canvas: Canvas;
  /** The cut-out, straight-alpha RGBA. */
  rgba: Uint8Array;
  width: number;
  height: number;
  transform: Transform;
  opacity: number;
  look: Pick<ProductRecord['props'], 'shadow' | 'tone' | 'edge'>;
}

export interface ProductFx {
  /** Drop + contact shadow, drawn first (null: none shows). */
  shadow: RgbaPatch | null;
  /** The placed, toned, edge-treated product (null: outside the canvas or fully transparent). */
  product: RgbaPatch | null;
}

export function computeProductFx(input: ProductFxInput): ProductFx {
  const small = prescaleRgba(input.rgba, input.width, input.height, input.transform);
  const prepared = prepareProduct(
    { rgba: small.rgba, width: small.width, height: small.height, transform: small.transform, opacity: input.opacity, ...input.look },
    input.canvas,
  );
  if (!prepared) return { shadow: null, product: null };
  return {
    shadow: shadowRgba([prepared.drop, prepared.contact], input.canvas.width, input.canvas.height),
    product: productRgba(prepared.patch),
  };
}

/**
 * A product drawn much smaller than its pixels is shrunk first with an area filter (bilinear
 * placement alone would alias), on premultiplied values so transparent neighbours leave no dark
 * fringe; the transform is adjusted to the new pixel size. Same threshold as the compositor.
 */
export function prescaleRgba(rgba: Uint8Array, width: number, height: number, t: Transform): { rgba: Uint8Array; width: number; height: number; transform: Transform } {
  const s = Math.min(Math.abs(t.scaleX), Math.abs(t.scaleY));
  if (!(s < 0.75)) return { rgba, width, height, transform: t };
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  const pre = new Float32Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    pre[i * 4] = rgba[i * 4]! * a;
    pre[i * 4 + 1] = rgba[i * 4 + 1]! * a;
    pre[i * 4 + 2] = rgba[i * 4 + 2]! * a;
    pre[i * 4 + 3] = a;
  }
  const out = resizePlane(pre, width, height, 4, w, h);
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const a = out[i * 4 + 3]!;
    if (a <= 1e-4) continue;
    px[i * 4] = clamp8(out[i * 4]! / a);
    px[i * 4 + 1] = clamp8(out[i * 4 + 1]! / a);
    px[i * 4 + 2] = clamp8(out[i * 4 + 2]! / a);
    px[i * 4 + 3] = clamp8(a * 255);
  }
  return { rgba: px, width: w, height: h, transform: { ...t, scaleX: (t.scaleX * width) / w, scaleY: (t.scaleY * height) / h } };
}

/** Canvas-sized RGBA (as a 2D context reads it) → the compositor's float RGB canvas. */
export function canvasFromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Canvas {
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
  return { width, height, rgb };
}

const clamp8 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
