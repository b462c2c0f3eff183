import type { Transform } from '../../../../preload/contract/document';
import type { BackgroundFit } from './background-fit';
import { sharedFxClient } from './shared-fx-client';
import type { Box } from './snapping';

/**
 * "Auto place" (issue #4): a transform for a product from the background's free space and ground
 * line and the rule of thirds (main/engine/compose/auto-place.ts and co., in the effects worker).
 * The panels call it when they make an ad; the canvas for "Auto place" on the selected product.
 * Images are given decoded or by asset hash (then `assets` decodes them, e.g. `ed.assets`).
 */
export interface SuggestPlacementInput {
  /** The backdrop; absent = white. */
  background?: { image: ImageBitmap; fit?: BackgroundFit } | { asset: string; fit?: BackgroundFit } | null;
  canvas: { width: number; height: number };
  product: { width: number; height: number } & ({ image: ImageBitmap } | { asset: string });
  /** Canvas boxes of layers already placed (kept clear where possible). */
  others?: readonly Box[];
  /** Decodes asset hashes (ed.assets). Needed only when an image is given by hash. */
  assets?: { getImage(hash: string): Promise<ImageBitmap> };
  signal?: AbortSignal;
}

export async function suggestPlacement(input: SuggestPlacementInput): Promise<Transform> {
  const decode = async (src: { image: ImageBitmap } | { asset: string }): Promise<{ key: string; bitmap: ImageBitmap }> => {
    if ('image' in src) return { key: `bitmap:${idOf(src.image)}`, bitmap: src.image };
    if (!input.assets) throw new Error('suggestPlacement: pass `assets` (ed.assets) to place images given by hash');
    return { key: src.asset, bitmap: await input.assets.getImage(src.asset) };
  };
  const bg = input.background ? await decode(input.background) : null;
  const product = await decode(input.product);
  const task = sharedFxClient().run({
    type: 'place',
    canvas: input.canvas,
    background: { key: bg?.key ?? 'none', bitmap: bg?.bitmap ?? null, fit: input.background?.fit ?? 'cover' },
    product,
    others: [...(input.others ?? [])],
  });
  input.signal?.addEventListener('abort', () => task.cancel(), { once: true });
  const res = await task.promise;
  if (res.kind !== 'place') throw new Error('unexpected answer from the effects worker');
  return res.transform;
}

/** Decoded images given directly get a key per object, so the worker's cache never mixes them up. */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}
