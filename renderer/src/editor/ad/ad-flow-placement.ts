import type { Transform } from '../../../../preload/contract/document';
import type { Editor } from '../editor';
import { suggestPlacement } from './auto-place-client';
import type { Box } from './snapping';

export interface Size {
  width: number;
  height: number;
}

/**
 * Where a product goes when auto place cannot answer (worker failed): about 60 % of the canvas
 * height (never wider than 80 % of it), centred, standing on the lower third — the classic
 * product-shot spot that leaves the top band for the copy.
 */
export function fallbackPlacement(canvas: Size, product: Size): Transform {
  const scale = Math.min((canvas.height * 0.6) / product.height, (canvas.width * 0.8) / product.width);
  const w = product.width * scale;
  const h = product.height * scale;
  const bottom = canvas.height * 0.9;
  return { x: (canvas.width - w) / 2, y: Math.max(0, bottom - h), scaleX: scale, scaleY: scale, rotation: 0 };
}

export interface PlaceInput {
  canvas: Size;
  background: { asset: string; fit: 'cover' | 'contain' | 'stretch' } | null;
  product: Size & { asset: string };
  others?: readonly Box[];
}

/** Auto place (ad-canvas' suggestPlacement: ground line, free space, thirds), else the fallback. */
export async function placeProduct(ed: Pick<Editor, 'assets'>, input: PlaceInput): Promise<Transform> {
  try {
    const t = await suggestPlacement({
      background: input.background,
      canvas: input.canvas,
      product: input.product,
      others: input.others ?? [],
      assets: ed.assets,
    });
    if ([t.x, t.y, t.scaleX, t.scaleY, t.rotation].every(Number.isFinite) && t.scaleX > 0 && t.scaleY > 0) return t;
  } catch (err) {
    console.warn('adstudio: auto place failed, using the default spot', err);
  }
  return fallbackPlacement(input.canvas, input.product);
}
