import { describe, expect, it } from 'vitest';
import { adParts } from '../../../../renderer/src/document/ad-records';
import { makeAd } from '../../../../renderer/src/editor/ad/ad-flow-make-ad';
import { fixtureDocument } from '../doc-fixtures';
import { candidates, cutoutAsset, fakeAdEditor } from './fake-ad-editor';

const SIZE = { width: 1080, height: 1080 };

describe('Make ad (photo → cut-out → backgrounds → ad)', () => {
  it('cuts out the photo, asks for backgrounds coloured from the cut-out, and converts in ONE undo step', async () => {
    const { doc, image, mask } = fixtureDocument();
    const cut = cutoutAsset();
    const f = fakeAdEditor(doc, {
      cutout: { status: 'done', result: cut, madeBy: 'cutout:isnet' },
      backgrounds: { status: 'done', candidates: candidates(8) },
    });
    expect(await makeAd(f.ed, SIZE)).toBe(true);

    expect(f.calls.map((c) => c.channel)).toEqual(['cutout', 'backgrounds']);
    expect(f.calls[0]!.req).toEqual({ image: image.props.asset });
    expect(f.calls[1]!.req).toMatchObject({ width: 1080, height: 1080, paletteFrom: cut.hash, seed: 1 });

    const store = f.ed.store()!;
    const ad = store.document();
    expect(ad).toMatchObject({ kind: 'ad', width: 1080, height: 1080 });
    expect(ad.records[image.id]).toBeUndefined();
    expect(ad.records[mask.id]).toBeUndefined();
    const parts = adParts(ad);
    expect(parts.background?.props).toMatchObject({ asset: candidates(8)[0]!.asset.hash, madeBy: 'embedded · sweep · seed 1', fit: 'cover' });
    expect(parts.layers).toHaveLength(1);
    const product = parts.layers[0]!;
    expect(product.type).toBe('product');
    if (product.type !== 'product') return;
    expect(product.props).toMatchObject({ asset: cut.hash, source: image.props.asset, madeBy: 'cutout:isnet', width: 640, height: 480 });
    // No worker in node: the fallback spot — inside the canvas, in its lower part, centred.
    const t = product.transform;
    const w = 640 * t.scaleX;
    const h = 480 * t.scaleY;
    expect(t.x).toBeCloseTo((1080 - w) / 2, 3);
    expect(t.y + h).toBeGreaterThan(1080 * 0.66);
    expect(t.y + h).toBeLessThanOrEqual(1080);
    expect(f.ed.session.get().selectedId).toBe(product.id);
    expect(f.ed.session.get().adBackgrounds?.candidates).toHaveLength(8);
    expect(store.history().undo).toEqual(['ad.history.makeAd']);
    expect(f.notices.at(-1)).toMatchObject({ kind: 'success', title: 'ad.made' });

    // One undo: the photo again, exactly as it was.
    store.undo();
    expect(store.document()).toEqual(doc);
    store.redo();
    expect(store.document().kind).toBe('ad');
  });

  it('a photo without a clear foreground: the engine says so, the document stays the photo', async () => {
    const { doc } = fixtureDocument();
    const message = 'No clear foreground: the photo has no product standing out from its background.';
    const f = fakeAdEditor(doc, { cutout: { status: 'failed', error: { code: 'engine', message } } });
    expect(await makeAd(f.ed, SIZE)).toBe(false);
    expect(f.notices).toEqual([{ kind: 'error', title: 'ad.error.cutoutFailed', detail: message }]);
    expect(f.calls.map((c) => c.channel)).toEqual(['cutout']);
    expect(f.ed.store()!.document()).toEqual(doc);
    expect(f.ed.store()!.canUndo()).toBe(false);
    expect(f.ed.session.get().job).toBeNull();
  });

  it('Cancel during the cut-out ends quietly as "cancelled" and changes nothing', async () => {
    const { doc } = fixtureDocument();
    // The host never ends the job by itself: only Cancel does.
    const f = fakeAdEditor(doc, {});
    const run = makeAd(f.ed, SIZE);
    await new Promise((r) => setTimeout(r, 5));
    expect(f.ed.session.get().job).toMatchObject({ kind: 'cutout', phase: 'running' });
    await f.ed.hostJobs.cancel();
    expect(await run).toBe(false);
    expect(f.notices).toEqual([{ kind: 'info', title: 'job.cancelled' }]);
    expect(f.ed.store()!.document()).toEqual(doc);
  });

  it('engine down at the start: the reason is shown, nothing changes', async () => {
    const { doc } = fixtureDocument();
    const f = fakeAdEditor(doc, { startError: { code: 'engine', message: 'The embedded engine is not running.' } });
    expect(await makeAd(f.ed, SIZE)).toBe(false);
    expect(f.notices).toEqual([{ kind: 'error', title: 'ad.error.cutoutFailed', detail: 'The embedded engine is not running.' }]);
    expect(f.ed.store()!.document()).toEqual(doc);
    expect(f.ed.session.get().job).toBeNull();
  });

  it('backgrounds that fail or come back empty leave the photo alone', async () => {
    const { doc } = fixtureDocument();
    const failed = fakeAdEditor(doc, {
      cutout: { status: 'done', result: cutoutAsset(), madeBy: 'cutout:isnet' },
      backgrounds: { status: 'failed', error: { code: 'engine', message: 'out of memory' } },
    });
    expect(await makeAd(failed.ed, SIZE)).toBe(false);
    expect(failed.notices).toEqual([{ kind: 'error', title: 'ad.error.backgroundsFailed', detail: 'out of memory' }]);
    expect(failed.ed.store()!.document()).toEqual(doc);

    const empty = fakeAdEditor(doc, { cutout: { status: 'done', result: cutoutAsset() }, backgrounds: { status: 'done', candidates: [] } });
    expect(await makeAd(empty.ed, SIZE)).toBe(false);
    expect(empty.notices).toEqual([{ kind: 'error', title: 'ad.error.noCandidates' }]);
    expect(empty.ed.store()!.document()).toEqual(doc);
  });

  it('does nothing on an ad, or while another job runs', async () => {
    const { doc } = fixtureDocument();
    const f = fakeAdEditor({ ...doc, kind: 'ad' }, { cutout: { status: 'done', result: cutoutAsset() } });
    expect(await makeAd(f.ed, SIZE)).toBe(false);
    const g = fakeAdEditor(doc, { cutout: { status: 'done', result: cutoutAsset() } });
    g.ed.session.set({ job: { kind: 'erase', jobId: 'x', phase: 'running', progress: 0.2 } });
    expect(await makeAd(g.ed, SIZE)).toBe(false);
    expect([...f.calls, ...g.calls]).toEqual([]);
  });
});
