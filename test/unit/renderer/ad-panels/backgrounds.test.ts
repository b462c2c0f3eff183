import { describe, expect, it } from 'vitest';
import { adParts, newBackgroundRecord, newProductRecord } from '../../../../renderer/src/document/ad-records';
import { createDocumentStore } from '../../../../renderer/src/document/store';
import { applyCandidate, moreBackgrounds, nextSeed, selectedCandidate, toCandidates } from '../../../../renderer/src/editor/ad/ad-flow-backgrounds';
import { madeByLabel } from '../../../../renderer/src/editor/ad/ad-flow-made-by';
import { fakeAsset, fixtureDocument } from '../doc-fixtures';
import { candidates, fakeAdEditor } from './fake-ad-editor';

function adDoc() {
  const { doc } = fixtureDocument();
  const bg = newBackgroundRecord({ asset: fakeAsset('bg-1-0', 1080, 1080), madeBy: 'embedded · sweep · seed 1', name: 'Background', z: 'a0' });
  const product = newProductRecord({ asset: fakeAsset('cut', 400, 400), name: 'p', madeBy: 'cutout', z: 'a1' });
  return { ad: { ...doc, kind: 'ad' as const, width: 1080, height: 1080, records: { [bg.id]: bg, [product.id]: product } }, bg, product };
}

describe('background candidates', () => {
  it('knows which thumbnail is in use and swaps the background in one step (undo brings it back)', () => {
    const { ad, bg } = adDoc();
    const list = toCandidates(candidates(4));
    expect(selectedCandidate(list, bg)).toBe(0);
    const store = createDocumentStore(ad);
    store.transact('ad.history.background', (d) => void applyCandidate(d, list[2]!, 'Background'));
    const now = adParts(store.document()).background!;
    expect(now.id).toBe(bg.id);
    expect(now.props).toMatchObject({ asset: list[2]!.asset.hash, madeBy: 'embedded · window · seed 1', fit: 'cover' });
    expect(selectedCandidate(list, now)).toBe(2);
    expect(Object.keys(store.document().records)).toHaveLength(2);
    store.undo();
    expect(store.document()).toEqual(ad);
  });

  it('an ad without a background gets one under every layer', () => {
    const { ad, bg, product } = adDoc();
    const { [bg.id]: _gone, ...rest } = ad.records;
    const store = createDocumentStore({ ...ad, records: rest });
    store.transact('x', (d) => void applyCandidate(d, toCandidates(candidates(1))[0]!, 'Background'));
    const parts = adParts(store.document());
    expect(parts.background).not.toBeNull();
    expect(parts.background!.z < product.z).toBe(true);
  });

  it('"More" asks for the next seed at the ad size with the first product as palette, and the prompt', async () => {
    const { ad, product } = adDoc();
    const f = fakeAdEditor(ad, { backgrounds: { status: 'done', candidates: candidates(8, 2) } });
    f.ed.session.set({ adBackgrounds: { docSerial: 0, width: 1080, height: 1080, seed: 1, prompt: null, candidates: toCandidates(candidates(8, 1)) } });
    await moreBackgrounds(f.ed, '  대리석 테이블  ');
    expect(f.calls[0]!.req).toEqual({ width: 1080, height: 1080, seed: 2, paletteFrom: product.props.asset, prompt: '대리석 테이블' });
    const state = f.ed.session.get().adBackgrounds!;
    expect(state).toMatchObject({ seed: 2, prompt: '대리석 테이블' });
    expect(state.candidates[0]!.madeBy).toBe('embedded · sweep · seed 2');
    // "More" changes only the thumbnails, never the document.
    expect(f.ed.store()!.canUndo()).toBe(false);
  });

  it('a refused prompt is shown as the engine wrote it, and the old thumbnails stay', async () => {
    const { ad } = adDoc();
    const refusal = 'The embedded engine cannot generate from a prompt; start a GPU engine.';
    const f = fakeAdEditor(ad, { backgrounds: { status: 'failed', error: { code: 'engine', message: refusal } } });
    const before = { docSerial: 0, width: 1080, height: 1080, seed: 1, prompt: null, candidates: toCandidates(candidates(8, 1)) };
    f.ed.session.set({ adBackgrounds: before });
    await moreBackgrounds(f.ed, 'a red sofa');
    expect(f.notices).toEqual([{ kind: 'error', title: 'ad.error.backgroundsFailed', detail: refusal }]);
    expect(f.ed.session.get().adBackgrounds).toBe(before);
  });

  it('seeds move on and wrap inside 32 bits; labels are trimmed', () => {
    expect(nextSeed(1)).toBe(2);
    expect(nextSeed(0xffffffff)).toBe(1);
    expect(madeByLabel('  embedded ·  sweep\n· seed 3 ')).toBe('embedded · sweep · seed 3');
    expect(madeByLabel('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
