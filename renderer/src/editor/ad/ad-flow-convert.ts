import type { Transform } from '../../../../preload/contract/document';
import { newBackgroundRecord, newProductRecord } from '../../document/ad-records';
import { keyBetween } from '../../document/fractional-index';
import type { Draft } from '../../document/types';

export interface AssetRef {
  hash: string;
  width: number;
  height: number;
}

export interface AdConversion {
  size: { width: number; height: number };
  background: { asset: AssetRef; madeBy: string; name: string };
  product: { asset: AssetRef; source: string | null; madeBy: string; name: string; transform: Transform };
}

/**
 * Photo → ad inside one transaction (so one undo returns to the photo): the document becomes kind
 * "ad" at the ad's size, gets a background and the cut-out product, and loses the photo's image and
 * mask records (the product keeps the photo as its `source`).
 */
export function convertToAd(d: Draft, c: AdConversion): { backgroundId: string; productId: string } {
  for (const r of d.all()) if (r.type === 'image' || r.type === 'mask') d.remove(r.id);
  d.setMeta((m) => ({ ...m, kind: 'ad', width: c.size.width, height: c.size.height }));
  const bgZ = keyBetween(null, null);
  const background = newBackgroundRecord({ asset: c.background.asset, madeBy: c.background.madeBy, name: c.background.name, z: bgZ });
  const product = newProductRecord({
    asset: c.product.asset,
    source: c.product.source,
    madeBy: c.product.madeBy,
    name: c.product.name,
    z: keyBetween(bgZ, null),
    transform: c.product.transform,
  });
  d.put(background);
  d.put(product);
  return { backgroundId: background.id, productId: product.id };
}
