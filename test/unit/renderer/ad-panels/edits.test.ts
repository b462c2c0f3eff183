import { describe, expect, it } from 'vitest';
import { newProductRecord } from '../../../../renderer/src/document/ad-records';
import { createDocumentStore } from '../../../../renderer/src/document/store';
import { EditGesture, editProduct, editText } from '../../../../renderer/src/editor/ad/ad-flow-edit';
import { addText, headlineText } from '../../../../renderer/src/editor/ad/ad-flow-text';
import { fakeAsset, fixtureDocument } from '../doc-fixtures';
import { fakeAdEditor } from './fake-ad-editor';

function adWithProduct() {
  const { doc } = fixtureDocument();
  const product = newProductRecord({ asset: fakeAsset('cut', 400, 400), name: 'p', madeBy: 'cutout', z: 'a1' });
  return { ad: { ...doc, kind: 'ad' as const, width: 1080, height: 1350, records: { [product.id]: product } }, product };
}

describe('inspector edits', () => {
  it('a slider drag is ONE undo step however many values it passes; a click is one step', () => {
    const { ad, product } = adWithProduct();
    const store = createDocumentStore(ad);
    const g = new EditGesture(() => store, 'ad.history.shadow');
    g.begin();
    for (const v of [0.3, 0.4, 0.5, 0.62]) editProduct(store, 'ad.history.shadow', product.id, (p) => ({ ...p, shadow: { ...p.shadow, drop: { ...p.shadow.drop, opacity: v } } }));
    g.end();
    editProduct(store, 'ad.history.tone', product.id, (p) => ({ ...p, tone: { ...p.tone, enabled: false } }));
    expect(store.history().undo).toEqual(['ad.history.shadow', 'ad.history.tone']);
    const r = store.document().records[product.id]!;
    if (r.type !== 'product') throw new Error('type');
    expect(r.props.shadow.drop.opacity).toBe(0.62);
    store.undo();
    store.undo();
    expect(store.document()).toEqual(ad);
  });

  it('Escape mid-drag rolls back with no history', () => {
    const { ad, product } = adWithProduct();
    const store = createDocumentStore(ad);
    const g = new EditGesture(() => store, 'ad.history.edge');
    g.begin();
    editProduct(store, 'ad.history.edge', product.id, (p) => ({ ...p, edge: { ...p.edge, feather: 9 } }));
    g.cancel();
    expect(store.document()).toEqual(ad);
    expect(store.canUndo()).toBe(false);
  });

  it('edits only touch ad layers', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    editText(store, 'ad.history.text', image.id, (p) => ({ ...p, text: 'x' }));
    expect(store.canUndo()).toBe(false);
  });
});

describe('Add text', () => {
  it('puts Korean placeholder copy across the top band, on top, selected, in one step', () => {
    const { ad, product } = adWithProduct();
    const f = fakeAdEditor(ad, {});
    const id = addText(f.ed, '여기에 광고 문구를 입력하세요')!;
    const store = f.ed.store()!;
    const r = store.document().records[id]!;
    if (r.type !== 'text') throw new Error('type');
    expect(r.props.text).toBe('여기에 광고 문구를 입력하세요');
    expect(r.z > product.z).toBe(true);
    expect(r.transform.y).toBeLessThan(1350 * 0.15);
    expect(r.transform.x + (r.props.width ?? 0)).toBeLessThanOrEqual(1080);
    expect(r.props).toMatchObject({ align: 'center', font: { family: 'Pretendard', weight: 800, size: Math.round(1080 * 0.07) } });
    expect(f.ed.session.get().selectedId).toBe(id);
    expect(store.history().undo).toEqual(['ad.history.addText']);
  });

  it('headline size follows the shorter side (a banner gets smaller type than a story)', () => {
    expect(headlineText({ width: 1200, height: 628 }, '특가', 'a').props.font.size).toBe(44);
    expect(headlineText({ width: 1080, height: 1920 }, '특가', 'a').props.font.size).toBe(76);
  });

  it('does nothing on a photo', () => {
    const { doc } = fixtureDocument();
    const f = fakeAdEditor(doc, {});
    expect(addText(f.ed, '특가')).toBeNull();
    expect(f.ed.store()!.canUndo()).toBe(false);
  });
});
