import { isAdDocument } from '../../document/ad-records';
import { imageRecordOf, maskRecordOf, type MaskRecord } from '../../document/records';
import type { Editor } from '../editor';
import { unwrap } from '../errors';
import type { ProductMaskState } from '../session-state';
import { doneOrNotify } from './ad-flow-backgrounds';
import { runHostJob } from './ad-flow-jobs';

export const SELECT_PRODUCT_LABEL = 'ad.history.selectProduct';

/**
 * Which mask asset is the product selection right now, or null. The session remembers where in
 * history "Select product" put it; it still holds while that step is in the undo stack (edits with
 * the mask tools after it correct the selection), the photo is the same and the mask is not empty.
 * Undoing past it, an erase (a new photo), or another document ends it; redo brings it back.
 */
export function activeProductMask(input: {
  state: ProductMaskState | null;
  docSerial: number;
  image: string | undefined;
  mask: { id: string; asset: string | null } | undefined;
  undo: readonly string[];
}): string | null {
  const { state, mask } = input;
  if (!state || !mask?.asset) return null;
  if (state.docSerial !== input.docSerial || state.image !== input.image || state.maskId !== mask.id) return null;
  if (input.undo.length < state.depth || input.undo[state.depth - 1] !== SELECT_PRODUCT_LABEL) return null;
  return mask.asset;
}

/** The open photo's product selection (its mask asset), or null when the mask is not one. */
export function productSelection(ed: Pick<Editor, 'session' | 'store'>): string | null {
  const store = ed.store();
  const doc = store?.document();
  const image = doc ? imageRecordOf(doc) : undefined;
  if (!store || !doc || !image || isAdDocument(doc)) return null;
  const mask = maskRecordOf(doc, image.id);
  const s = ed.session.get();
  return activeProductMask({
    state: s.productMask,
    docSerial: s.docSerial,
    image: image.props.asset,
    mask: mask ? { id: mask.id, asset: mask.props.asset } : undefined,
    undo: store.history().undo,
  });
}

/** "Select product" can start: a photo with its mask, nothing running, no comparison, host reachable. */
export function canSelectProduct(ed: Editor): boolean {
  // Partial editors (headless tests of other features) have no document access: nothing to select.
  if (typeof (ed as Partial<Editor>).document !== 'function') return false;
  const s = ed.session.get();
  const doc = ed.document();
  return !!doc && !isAdDocument(doc) && !!ed.image() && !!ed.maskRecord() && !s.job && !s.compare && !s.maskBusy && s.connection === 'connected';
}

/**
 * "Select product": cut the product out of the photo and make the cut-out's alpha the photo's mask
 * (255 = product) in ONE undo step, so the user corrects it with the brush, eraser, rectangle and
 * lasso; "Make ad" then cuts out along that mask. Progress and Cancel as for Make ad; a failure or
 * a cancel is a notice and changes nothing. Resolves true when the selection was made.
 */
export async function selectProduct(ed: Editor): Promise<boolean> {
  if (!canSelectProduct(ed)) return false;
  ed.cancelGesture();
  const store = ed.store()!;
  const photo = ed.image()!;
  const serial = ed.session.get().docSerial;
  const same = () => ed.store() === store && ed.session.get().docSerial === serial && ed.image()?.props.asset === photo.props.asset;

  const end = await runHostJob(ed, 'cutout', 'ad.error.selectFailed', async () => {
    await ed.mask.idle();
    await ed.waitForUploads();
    return unwrap(await ed.api.startCutout({ image: photo.props.asset })).jobId;
  });
  const cut = doneOrNotify(ed, end, 'ad.error.selectFailed');
  if (!cut) return false;
  if (!cut.result) {
    ed.notify('error', 'ad.error.selectFailed', undefined, 'The engine returned no cut-out.', 'engine');
    return false;
  }
  // Another document, or the photo changed (undo of an erase) while the job ran: leave it alone.
  if (!same()) return false;
  const { width, height } = photo.props;
  let hash: string;
  try {
    const alpha = alphaOf(await ed.assets.getImage(cut.result.hash), width, height);
    hash = (await ed.assets.putMask(alpha, width, height, 'product-selection', { adopt: true })).hash;
  } catch (err) {
    ed.fail('ad.error.selectFailed', err);
    return false;
  }
  // After every queued stroke, like the mask's own whole-mask actions; the live mask reloads from it.
  await ed.mask.idle();
  const target = ed.maskRecord();
  if (!same() || !target) return false;
  store.transact(SELECT_PRODUCT_LABEL, (d) => d.update<MaskRecord>(target.id, (r) => ({ ...r, props: { ...r.props, asset: hash } })));
  const mask = ed.maskRecord();
  const undo = store.history().undo;
  // The mask already was exactly this selection: no new step, nothing to mark.
  if (!same() || !mask || mask.props.asset !== hash || undo.at(-1) !== SELECT_PRODUCT_LABEL) return false;
  ed.session.set({ productMask: { docSerial: serial, image: photo.props.asset, maskId: mask.id, depth: undo.length } });
  ed.notify('success', 'ad.selection.made');
  return true;
}

/** The alpha channel of a decoded cut-out (alpha survives drawing exactly; only colours are premultiplied). */
function alphaOf(bitmap: CanvasImageSource & { width: number; height: number }, width: number, height: number): Uint8Array<ArrayBuffer> {
  if (bitmap.width !== width || bitmap.height !== height) {
    throw new Error(`The cut-out is ${bitmap.width}×${bitmap.height}, not the photo's ${width}×${height}.`);
  }
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas is available to read the cut-out.');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
  return alpha;
}
