import { EXPORT_PRESETS } from '../../../../preload/contract/ad-layout';
import { isAdDocument } from '../../document/ad-records';
import type { Editor } from '../editor';
import { unwrap } from '../errors';
import { doneOrNotify, drawCandidates, FIRST_SEED } from './ad-flow-backgrounds';
import { convertToAd } from './ad-flow-convert';
import { runHostJob } from './ad-flow-jobs';
import { placeProduct } from './ad-flow-placement';
import { productSelection } from './product-selection';

export const DEFAULT_AD_SIZE: { width: number; height: number } = { width: EXPORT_PRESETS.square.width, height: EXPORT_PRESETS.square.height };

/** "Make ad" can start: a photo (not an ad) with an image, nothing running, host reachable. */
export function canMakeAd(ed: Editor): boolean {
  const s = ed.session.get();
  const doc = ed.document();
  return !!doc && !isAdDocument(doc) && !!ed.image() && !s.job && !s.compare && s.connection === 'connected';
}

/**
 * "Make ad" in one click (issue #4): cut the product out of the photo (along the product selection
 * when the mask is one, see product-selection.ts), draw background candidates
 * at `size` in the product's colours, then turn the document into an ad in ONE undo step (undo
 * returns to the photo). Each job shows progress with Cancel; a failure or a cancel is a notice
 * and leaves the document exactly as it was. Resolves true when the ad was made.
 */
export async function makeAd(ed: Editor, size = DEFAULT_AD_SIZE, names = { background: 'Background' }): Promise<boolean> {
  if (!canMakeAd(ed)) return false;
  ed.cancelGesture();
  const store = ed.store()!;
  const photo = ed.image()!;

  const cutEnd = await runHostJob(ed, 'cutout', 'ad.error.cutoutFailed', async () => {
    await ed.mask.idle();
    await ed.waitForUploads(); // the engine reads the photo from the host's store
    // A product selection the user made (and maybe corrected) is followed instead of segmenting again.
    const mask = productSelection(ed);
    return unwrap(await ed.api.startCutout({ image: photo.props.asset, ...(mask ? { mask } : {}) })).jobId;
  });
  const cut = doneOrNotify(ed, cutEnd, 'ad.error.cutoutFailed');
  if (!cut) return false;
  if (!cut.result) {
    ed.notify('error', 'ad.error.cutoutFailed', undefined, 'The engine returned no cut-out.', 'engine');
    return false;
  }
  const cutout = cut.result;

  const candidates = await drawCandidates(ed, { ...size, paletteFrom: cutout.hash, seed: FIRST_SEED });
  if (!candidates) return false;
  const first = candidates[0]!;

  const transform = await placeProduct(ed, {
    canvas: size,
    background: { asset: first.asset.hash, fit: 'cover' },
    product: { asset: cutout.hash, width: cutout.width, height: cutout.height },
  });

  // Another document (or an undo past the photo) while the jobs ran: leave it alone.
  if (ed.store() !== store || ed.image()?.id !== photo.id || ed.image()?.props.asset !== photo.props.asset) return false;
  let productId = '';
  store.transact('ad.history.makeAd', (d) => {
    productId = convertToAd(d, {
      size,
      background: { asset: first.asset, madeBy: first.madeBy, name: names.background },
      product: { asset: cutout, source: photo.props.asset, madeBy: cut.madeBy ?? 'cutout', name: photo.name, transform },
    }).productId;
  });
  const serial = ed.session.get().docSerial;
  ed.session.set({ selectedId: productId, adBackgrounds: { docSerial: serial, ...size, seed: FIRST_SEED, prompt: null, candidates } });
  ed.fit();
  ed.notify('success', 'ad.made');
  return true;
}
