import { describe, expect, it } from 'vitest';
import { documentSchema, referencedAssets } from '../../../preload/contract/document';
import { createId, imageRecordOf, maskRecordOf, newDocument, newMaskRecord, stampModified, topZ } from '../../../renderer/src/document/records';
import { fakeAsset } from './doc-fixtures';

describe('records factory', () => {
  it('newDocument makes a valid document: the image plus an empty mask over it', () => {
    const asset = fakeAsset('photo', 1200, 800);
    const doc = newDocument({ title: '세일 포스터', asset, name: 'photo.png' });
    expect(documentSchema.parse(doc)).toEqual(doc);
    expect(doc.width).toBe(1200);
    expect(doc.height).toBe(800);
    const image = imageRecordOf(doc)!;
    expect(image.props).toEqual({ asset: asset.hash, width: 1200, height: 800, madeBy: 'original' });
    expect(image.transform).toEqual({ x: 0, y: 0, scaleX: 1, scaleY: 1, rotation: 0 });
    const mask = maskRecordOf(doc, image.id)!;
    expect(mask.props).toEqual({ target: image.id, asset: null, width: 1200, height: 800 });
    expect(mask.z > image.z).toBe(true);
    expect(topZ(doc)).toBe(mask.z);
    expect(referencedAssets(doc)).toEqual([asset.hash]);
  });

  it('clips over-long names so the document stays valid', () => {
    const doc = newDocument({ title: 'x'.repeat(500), asset: fakeAsset('p'), name: 'n'.repeat(500) });
    expect(() => documentSchema.parse(doc)).not.toThrow();
    expect(doc.title).toHaveLength(200);
  });

  it('ids are unique and schema-sized', () => {
    const ids = new Set(Array.from({ length: 1000 }, createId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('newMaskRecord targets an image and a second image finds its own mask', () => {
    const doc = newDocument({ title: 't', asset: fakeAsset('p'), name: 'p' });
    const image = imageRecordOf(doc)!;
    const other = { ...image, id: 'other', z: 'a2', props: { ...image.props, width: 10, height: 20 } };
    const mask = newMaskRecord(other, 'a3');
    const doc2 = { ...doc, records: { ...doc.records, other, [mask.id]: mask } };
    expect(documentSchema.safeParse(doc2).success).toBe(true);
    expect(maskRecordOf(doc2, 'other')).toBe(mask);
    expect(maskRecordOf(doc2, image.id)).not.toBe(mask);
    expect(imageRecordOf(doc2)).toBe(image);
  });

  it('stampModified changes only modifiedAt', () => {
    const doc = newDocument({ title: 't', asset: fakeAsset('p'), name: 'p', now: new Date('2024-01-01T00:00:00Z') });
    const later = stampModified(doc, new Date('2024-02-01T00:00:00Z'));
    expect(later.modifiedAt).toBe('2024-02-01T00:00:00.000Z');
    expect({ ...later, modifiedAt: doc.modifiedAt }).toEqual(doc);
  });
});
