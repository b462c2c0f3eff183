import { describe, expect, it } from 'vitest';
import { newProductRecord, newTextRecord } from '../../../../renderer/src/document/ad-records';
import { createDocumentStore } from '../../../../renderer/src/document/store';
import { checkAdSize, estimateTextBox, ownBox, resizeAd, resizedTransform } from '../../../../renderer/src/editor/ad/ad-flow-resize';
import { layerBox } from '../../../../renderer/src/editor/ad/transform-math';
import { fakeAsset, fixtureDocument } from '../doc-fixtures';

const centre = (b: { x0: number; y0: number; x1: number; y1: number }) => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });

describe('canvas size', () => {
  it('a layer keeps its centre at the same fraction of the canvas and scales uniformly by the smaller ratio', () => {
    const t = { x: 300, y: 500, scaleX: 0.5, scaleY: 0.5, rotation: 0 };
    const box = { width: 400, height: 600 }; // on canvas: 200×300 centred at (400, 650)
    const out = resizedTransform(t, box, { width: 1080, height: 1080 }, { width: 1080, height: 1920 });
    const after = layerBox({ ...out, scaleX: 0.5, scaleY: 0.5 }, box.width, box.height);
    expect(centre(after).x).toBeCloseTo(400, 6);
    expect(centre(after).y).toBeCloseTo((650 / 1080) * 1920, 6);
    // 1080×1080 → 1200×628: factor min(1200/1080, 628/1080); the centre moves, the size shrinks.
    const s = 628 / 1080;
    const out2 = resizedTransform(t, box, { width: 1080, height: 1080 }, { width: 1200, height: 628 });
    const b2 = layerBox({ ...out2, scaleX: 0.5 * s, scaleY: 0.5 * s }, box.width, box.height);
    expect(centre(b2).x).toBeCloseTo((400 / 1080) * 1200, 6);
    expect(centre(b2).y).toBeCloseTo((650 / 1080) * 628, 6);
    expect(b2.x1 - b2.x0).toBeCloseTo(200 * s, 6);
  });

  it('a rotated layer keeps its rotation and its centre fraction', () => {
    const t = { x: 500, y: 200, scaleX: 1, scaleY: 1, rotation: 30 };
    const box = { width: 200, height: 100 };
    const before = centre(layerBox(t, box.width, box.height));
    const out = resizedTransform(t, box, { width: 1000, height: 1000 }, { width: 2000, height: 2000 });
    const after = centre(layerBox({ ...out, scaleX: 2, scaleY: 2 }, box.width, box.height));
    expect(out.rotation).toBe(30);
    expect(after.x).toBeCloseTo(before.x * 2, 6);
    expect(after.y).toBeCloseTo(before.y * 2, 6);
  });

  it('resizes a whole ad in ONE undo step: products by scale, text by font size; undo restores all', () => {
    const { doc } = fixtureDocument();
    const product = newProductRecord({ asset: fakeAsset('cut', 400, 400), name: 'p', madeBy: 'cutout', z: 'a1', transform: { x: 340, y: 500, scaleX: 1, scaleY: 1, rotation: 0 } });
    const text = newTextRecord({ text: '오늘만 특가', z: 'a2', transform: { x: 86, y: 86, scaleX: 1, scaleY: 1, rotation: 0 }, style: { font: { family: 'Pretendard', weight: 800, size: 76 }, width: 908, stroke: { color: '#ffffff', width: 6 } } });
    const ad = { ...doc, kind: 'ad' as const, width: 1080, height: 1080, records: { [product.id]: product, [text.id]: text } };
    const store = createDocumentStore(ad);
    store.transact('ad.history.canvasSize', (d) => resizeAd(d, { width: 1080, height: 1920 }, (r) => ownBox(r)));
    const out = store.document();
    expect([out.width, out.height]).toEqual([1080, 1920]);
    const p = out.records[product.id]!;
    const tx = out.records[text.id]!;
    if (p.type !== 'product' || tx.type !== 'text') throw new Error('types');
    // Width-limited: factor 1; the product moves down with its centre fraction.
    expect(p.transform.scaleX).toBeCloseTo(1, 9);
    expect(centre(layerBox(p.transform, 400, 400)).y).toBeCloseTo((700 / 1080) * 1920, 6);
    expect(tx.props.font.size).toBe(76);
    expect(tx.props.stroke?.width).toBe(6);
    expect(store.history().undo).toEqual(['ad.history.canvasSize']);

    store.transact('ad.history.canvasSize', (d) => resizeAd(d, { width: 540, height: 960 }, (r) => ownBox(r)));
    const half = store.document().records[text.id]!;
    if (half.type !== 'text') throw new Error('type');
    expect(half.props.font.size).toBe(38);
    expect(half.props.width).toBe(454);
    expect(half.props.stroke?.width).toBe(3);
    store.undo();
    store.undo();
    expect(store.document()).toEqual(ad);
  });

  it('custom sizes: whole pixels, at least 16 px, within LIMITS', () => {
    expect(checkAdSize(1080, 1350)).toBeNull();
    expect(checkAdSize(1080.5, 1350)).toBe('ad.size.errorWhole');
    expect(checkAdSize(Number.NaN, 1350)).toBe('ad.size.errorWhole');
    expect(checkAdSize(15, 1350)).toBe('ad.size.errorSmall');
    expect(checkAdSize(16_385, 100)).toBe('ad.size.errorLarge');
    expect(checkAdSize(16_000, 16_000)).toBe('ad.size.errorLarge'); // 256 MP
    expect(checkAdSize(16_384, 6_000)).toBeNull();
  });

  it('a text box without a wrap width is estimated from its longest line', () => {
    const t = newTextRecord({ text: '오늘만\n특가 세일', z: 'a', style: { font: { family: 'Pretendard', weight: 700, size: 100 }, lineHeight: 1.2 } });
    expect(estimateTextBox(t.props)).toEqual({ width: 5 * 100 * 0.8, height: 2 * 100 * 1.2 });
  });
});
