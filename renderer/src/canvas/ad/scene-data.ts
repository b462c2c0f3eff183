import type { ProductFxResult } from '../../editor/ad/product-fx';

/**
 * What the ad scene draws besides the records: decoded images by asset hash, each product's
 * effects (by record id) and which fonts are loaded. The canvas fills it as things arrive; the
 * export waits until it is complete. Konva only projects records + this; it is never read back.
 */
export interface SceneData {
  images: ReadonlyMap<string, ImageBitmap>;
  fx: ReadonlyMap<string, ProductFxView>;
  /** fontKey(family, weight) of every loaded font. */
  fonts: ReadonlySet<string>;
}

export interface ProductFxView {
  fx: ProductFxResult;
  /** Made for the record as it is now (false: an older look, e.g. during a drag). */
  fresh: boolean;
}

export function fontKey(family: string, weight: number): string {
  return `${family}:${weight}`;
}
