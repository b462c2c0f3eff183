import type { AssetInfo } from '../../../../preload/contract/channels';
import { adParts, newProductRecord } from '../../document/ad-records';
import type { Editor } from '../editor';
import { unwrap } from '../errors';
import { doneOrNotify } from './ad-flow-backgrounds';
import { runHostJob } from './ad-flow-jobs';
import { placeProduct } from './ad-flow-placement';
import { layerBox } from './transform-math';
import { topKey } from './z-order';

/**
 * "Add product": another photo → cut-out (progress, Cancel) → a new product on the ad, placed by
 * auto place clear of the layers already there, on top and selected, as one undo step.
 */
export async function addProductFromPhoto(ed: Editor, photo: AssetInfo, name: string): Promise<string | null> {
  const doc = ed.document();
  if (!doc || doc.kind !== 'ad' || ed.session.get().job) return null;
  const store = ed.store()!;
  const end = await runHostJob(ed, 'cutout', 'ad.error.cutoutFailed', async () => {
    await ed.assets.whenUploaded([photo.hash]);
    return unwrap(await ed.api.startCutout({ image: photo.hash })).jobId;
  });
  const cut = doneOrNotify(ed, end, 'ad.error.cutoutFailed');
  if (!cut?.result) return null;
  const current = ed.document();
  if (ed.store() !== store || !current || current.kind !== 'ad') return null;
  const parts = adParts(current);
  const others = parts.layers.flatMap((l) => (l.visible && l.type === 'product' ? [layerBox(l.transform, l.props.width, l.props.height)] : []));
  const transform = await placeProduct(ed, {
    canvas: { width: current.width, height: current.height },
    background: parts.background ? { asset: parts.background.props.asset, fit: parts.background.props.fit } : null,
    product: { asset: cut.result.hash, width: cut.result.width, height: cut.result.height },
    others,
  });
  if (ed.store() !== store) return null;
  const latest = adParts(store.document());
  const record = newProductRecord({
    asset: cut.result,
    source: photo.hash,
    madeBy: cut.madeBy ?? 'cutout',
    name,
    z: topKey(latest.layers, latest.background?.z ?? null),
    transform,
  });
  store.transact('ad.history.addProduct', (d) => d.put(record));
  ed.session.set({ selectedId: record.id });
  return record.id;
}

/** The photo for "Add product": the native dialog in Electron; the panel's file input in a browser. */
export async function pickProductPhoto(ed: Editor, browserPick: () => void): Promise<void> {
  if (ed.platform.mode !== 'electron') {
    browserPick();
    return;
  }
  await ed.attempt('ad.error.cutoutFailed', async () => {
    const picked = unwrap(await ed.api.openImageDialog({ kind: 'image' }));
    if (picked) await addProductFromPhoto(ed, picked.asset, picked.name);
  });
}

/** A File from the panel's input → stored asset → product. */
export async function addProductFromFile(ed: Editor, file: File): Promise<void> {
  await ed.attempt('ad.error.cutoutFailed', async () => {
    const asset = await ed.assets.importImage(file, file.name);
    await addProductFromPhoto(ed, asset, file.name);
  });
}
