import { describe, expect, it } from 'vitest';
import type { MaskRecord } from '../../../../renderer/src/document/records';
import { makeAd } from '../../../../renderer/src/editor/ad/ad-flow-make-ad';
import { productSelection, SELECT_PRODUCT_LABEL } from '../../../../renderer/src/editor/ad/product-selection';
import { fixtureDocument } from '../doc-fixtures';
import { candidates, cutoutAsset, fakeAdEditor } from './fake-ad-editor';

const SIZE = { width: 1080, height: 1080 };
const SELECTION = 'a'.repeat(64);
const CORRECTED = 'c'.repeat(64);

/** A photo whose mask "Select product" just made the product selection (as selectProduct leaves it). */
function selected() {
  const fx = fixtureDocument();
  const f = fakeAdEditor(fx.doc, { cutout: { status: 'done', result: cutoutAsset(), madeBy: 'cutout:mask' }, backgrounds: { status: 'done', candidates: candidates(2) } });
  const store = f.ed.store()!;
  const setMask = (label: string, asset: string | null) => store.transact(label, (d) => d.update<MaskRecord>(fx.mask.id, (r) => ({ ...r, props: { ...r.props, asset } })));
  setMask('history.brush', 'b'.repeat(64)); // an earlier erase mask
  setMask(SELECT_PRODUCT_LABEL, SELECTION);
  f.ed.session.set({ productMask: { docSerial: f.ed.session.get().docSerial, image: fx.image.props.asset, maskId: fx.mask.id, depth: store.history().undo.length } });
  return { ...fx, f, store, setMask };
}

describe('the product selection flag', () => {
  it('a photo without "Select product": Make ad segments as before (no mask in the request)', async () => {
    const { doc, image } = fixtureDocument();
    const f = fakeAdEditor(doc, { cutout: { status: 'done', result: cutoutAsset(), madeBy: 'cutout:isnet' }, backgrounds: { status: 'done', candidates: candidates(2) } });
    expect(productSelection(f.ed)).toBeNull();
    expect(await makeAd(f.ed, SIZE)).toBe(true);
    expect(f.calls[0]).toEqual({ channel: 'cutout', req: { image: image.props.asset } });
  });

  it('after "Select product" and a correction with the mask tools, Make ad cuts out along the corrected mask', async () => {
    const { f, image, setMask } = selected();
    expect(productSelection(f.ed)).toBe(SELECTION);
    setMask('history.eraser', CORRECTED);
    expect(productSelection(f.ed)).toBe(CORRECTED);
    expect(await makeAd(f.ed, SIZE)).toBe(true);
    expect(f.calls[0]).toEqual({ channel: 'cutout', req: { image: image.props.asset, mask: CORRECTED } });
  });

  it('undo past "Select product" ends it (the old mask is not a product); redo brings it back', () => {
    const { f, store } = selected();
    store.undo();
    expect(store.document().records).toBeDefined();
    expect(productSelection(f.ed)).toBeNull();
    store.redo();
    expect(productSelection(f.ed)).toBe(SELECTION);
    // Undo past it, then a new stroke at the same depth: the redo is gone, so is the selection.
    store.undo();
    store.transact('history.brush', (d) => d.update<MaskRecord>(Object.values(store.document().records).find((r) => r.type === 'mask')!.id, (r) => ({ ...r, props: { ...r.props, asset: 'd'.repeat(64) } })));
    expect(productSelection(f.ed)).toBeNull();
  });

  it('an empty mask, an erase (a new photo) or another document is not a product selection', () => {
    const a = selected();
    a.setMask('history.clear', null);
    expect(productSelection(a.f.ed)).toBeNull();

    const b = selected();
    b.store.transact('history.erase', (d) => d.update(b.image.id, (r) => ({ ...r, props: { ...(r.props as object), asset: 'e'.repeat(64) } }) as typeof r));
    expect(productSelection(b.f.ed)).toBeNull();

    const c = selected();
    c.f.ed.session.set((s) => ({ docSerial: s.docSerial + 1 }));
    expect(productSelection(c.f.ed)).toBeNull();
  });
});
