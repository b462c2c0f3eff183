import type { MaskCrop } from '../mask/compose-regions';

/** Tinted canvases per crop and colour (crops are immutable, so a crop's picture never changes). */
const cache = new WeakMap<Uint8Array, Map<string, HTMLCanvasElement>>();

/**
 * A region's mask crop as a canvas in `color` (#rrggbb), alpha from the mask: what erasing it would
 * remove, pixel for pixel. Drawn by Konva at the crop's place in image pixels.
 */
export function regionFill(crop: MaskCrop, color: string): HTMLCanvasElement | null {
  let byColor = cache.get(crop.data);
  const hit = byColor?.get(color);
  if (hit) return hit;
  const canvas = document.createElement('canvas');
  canvas.width = crop.width;
  canvas.height = crop.height;
  const ctx = canvas.getContext('2d');
  if (!ctx || crop.width === 0 || crop.height === 0) return null;
  const img = ctx.createImageData(crop.width, crop.height);
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  const px = img.data;
  for (let i = 0; i < crop.data.length; i++) {
    const a = crop.data[i]!;
    if (a === 0) continue;
    const o = i * 4;
    px[o] = r;
    px[o + 1] = g;
    px[o + 2] = b;
    px[o + 3] = a;
  }
  ctx.putImageData(img, 0, 0);
  if (!byColor) cache.set(crop.data, (byColor = new Map()));
  byColor.set(color, canvas);
  return canvas;
}
