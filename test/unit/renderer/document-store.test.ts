import { describe, expect, it, vi } from 'vitest';
import { keyBetween } from '../../../renderer/src/document/fractional-index';
import type { ImageRecord, MaskRecord } from '../../../renderer/src/document/records';
import { createDocumentStore } from '../../../renderer/src/document/store';
import type { DocumentJson, Patch } from '../../../renderer/src/document/types';
import { fakeHash, fixtureDocument } from './doc-fixtures';

function setMaskAsset(mask: MaskRecord, asset: string | null) {
  return (m: MaskRecord): MaskRecord => ({ ...m, props: { ...m.props, asset } });
}

function moveImage(image: ImageRecord, x: number) {
  return (r: ImageRecord): ImageRecord => ({ ...r, transform: { ...r.transform, x } });
}

describe('document store: transactions', () => {
  it('records an update as [from, to] and tells subscribers', () => {
    const { doc, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    const seen: Array<[DocumentJson, Patch | null]> = [];
    store.subscribe((d, p) => seen.push([d, p]));

    const patch = store.transact('Paint', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, fakeHash('m1'))));

    expect(patch).not.toBeNull();
    expect(Object.keys(patch!.updated)).toEqual([mask.id]);
    expect(patch!.updated[mask.id]![0]).toBe(doc.records[mask.id]);
    expect((patch!.updated[mask.id]![1] as MaskRecord).props.asset).toBe(fakeHash('m1'));
    expect((store.document().records[mask.id] as MaskRecord).props.asset).toBe(fakeHash('m1'));
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(store.document());
    expect(seen[0]![1]).toBe(patch);
  });

  it('records adds and removes, and a put-then-remove in one transaction leaves nothing', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const copy: ImageRecord = { ...image, id: 'copy', z: keyBetween(image.z, null) };
    const added = store.transact('Duplicate', (d) => d.put(copy));
    expect(Object.keys(added!.added)).toEqual(['copy']);
    const removed = store.transact('Delete', (d) => d.remove('copy'));
    expect(removed!.removed.copy).toEqual(copy);
    expect(store.transact('Nothing', (d) => {
      d.put({ ...copy, id: 'temp' });
      d.remove('temp');
    })).toBeNull();
    expect(store.history().undo).toEqual(['Duplicate', 'Delete']);
  });

  it('a change that sets the same values is not a step', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.transact('Same', (d) => d.update<ImageRecord>(image.id, (r) => ({ ...r, visible: true })))).toBeNull();
    expect(listener).not.toHaveBeenCalled();
    expect(store.canUndo()).toBe(false);
    expect(store.isDirty()).toBe(false);
  });

  it('a transaction that throws changes nothing', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    expect(() =>
      store.transact('Broken', (d) => {
        d.update<ImageRecord>(image.id, moveImage(image, 50));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.document()).toBe(doc);
    expect(store.canUndo()).toBe(false);
  });

  it('rejects id/type changes, missing records and drafts kept past their transaction', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    expect(() => store.transact('x', (d) => d.update(image.id, (r) => ({ ...r, id: 'other' })))).toThrow(/cannot change its id/);
    expect(() => store.transact('x', (d) => d.update('missing', (r) => r))).toThrow(/no record "missing"/);
    let kept: Parameters<Parameters<typeof store.transact>[1]>[0] | null = null;
    store.transact('x', (d) => (kept = d));
    expect(() => kept!.get(image.id)).toThrow(/finished transaction/);
    expect(() => store.transact('outer', () => store.transact('inner', () => {}))).toThrow(/inside another transaction/);
  });

  it('meta changes are patched and undone', () => {
    const { doc } = fixtureDocument();
    const store = createDocumentStore(doc);
    const p = store.transact('Rename', (d) => d.setMeta((m) => ({ ...m, title: 'Sale' })));
    expect(p!.meta![0].title).toBe('Poster');
    expect(p!.meta![1].title).toBe('Sale');
    expect(store.document().title).toBe('Sale');
    store.undo();
    expect(store.document().title).toBe('Poster');
    expect(store.document()).toEqual(doc);
  });

  it('records() are sorted by z, bottom first', () => {
    const { doc, image, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    const below: ImageRecord = { ...image, id: 'below', z: keyBetween(null, image.z) };
    const between: ImageRecord = { ...image, id: 'between', z: keyBetween(image.z, mask.z) };
    store.transact('Add', (d) => {
      d.put(between);
      d.put(below);
    });
    expect(store.records().map((r) => r.id)).toEqual(['below', image.id, 'between', mask.id]);
  });

  it('freezes records so accidental mutation throws', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc, { freeze: true });
    const rec = store.document().records[image.id] as ImageRecord;
    expect(() => {
      (rec.transform as { x: number }).x = 5;
    }).toThrow(TypeError);
    expect(Object.isFrozen(store.document().records)).toBe(true);
  });
});

describe('document store: undo / redo', () => {
  it('undo restores the exact previous document, redo re-applies', () => {
    const { doc, image, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    store.transact('Move', (d) => d.update<ImageRecord>(image.id, moveImage(image, 10)));
    const afterMove = store.document();
    store.transact('Paint', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, fakeHash('m1'))));
    const afterPaint = store.document();

    expect(store.undoLabel()).toBe('Paint');
    expect(store.undo()).toBe(true);
    expect(store.document()).toEqual(afterMove);
    expect(store.redoLabel()).toBe('Paint');
    expect(store.undo()).toBe(true);
    expect(store.document()).toEqual(doc);
    // Untouched records are the very same objects: cheap, and React/Konva can skip them.
    expect(store.document().records[image.id]).toBe(doc.records[image.id]);
    expect(store.undo()).toBe(false);

    expect(store.redo()).toBe(true);
    expect(store.document()).toEqual(afterMove);
    expect(store.redo()).toBe(true);
    expect(store.document()).toEqual(afterPaint);
    expect(store.redo()).toBe(false);
  });

  it('undo hands subscribers the inverse patch', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const p = store.transact('Move', (d) => d.update<ImageRecord>(image.id, moveImage(image, 10)))!;
    const patches: Array<Patch | null> = [];
    store.subscribe((_d, patch) => patches.push(patch));
    store.undo();
    store.redo();
    expect(patches[0]!.updated[image.id]).toEqual([p.updated[image.id]![1], p.updated[image.id]![0]]);
    expect(patches[1]).toBe(p);
  });

  it('a new change clears the redo stack', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    store.transact('A', (d) => d.update<ImageRecord>(image.id, moveImage(image, 1)));
    store.transact('B', (d) => d.update<ImageRecord>(image.id, moveImage(image, 2)));
    store.undo();
    expect(store.canRedo()).toBe(true);
    store.transact('C', (d) => d.update<ImageRecord>(image.id, moveImage(image, 3)));
    expect(store.canRedo()).toBe(false);
    expect(store.redo()).toBe(false);
    expect(store.history()).toEqual({ undo: ['A', 'C'], redo: [], openMarks: [] });
  });

  it('drops the oldest steps beyond the history limit', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc, { historyLimit: 3 });
    for (let x = 1; x <= 5; x++) store.transact(`Move ${x}`, (d) => d.update<ImageRecord>(image.id, moveImage(image, x)));
    expect(store.history().undo).toEqual(['Move 3', 'Move 4', 'Move 5']);
    let undone = 0;
    while (store.undo()) undone++;
    expect(undone).toBe(3);
    expect((store.document().records[image.id] as ImageRecord).transform.x).toBe(2);
    expect(store.isDirty()).toBe(true); // the loaded state is no longer reachable
  });

  it('load() replaces the document, clears history and is clean', () => {
    const { doc, image } = fixtureDocument();
    const other = fixtureDocument().doc;
    const store = createDocumentStore(doc);
    store.transact('Move', (d) => d.update<ImageRecord>(image.id, moveImage(image, 10)));
    const patches: Array<Patch | null> = [];
    store.subscribe((_d, p) => patches.push(p));
    store.load(other);
    expect(store.document()).toBe(other);
    expect(patches).toEqual([null]);
    expect(store.canUndo()).toBe(false);
    expect(store.isDirty()).toBe(false);
  });
});

describe('document store: marks (gestures)', () => {
  it('squash makes a whole drag one undo step', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const seen = vi.fn();
    store.subscribe(seen);
    const mark = store.mark('Move image');
    for (let x = 1; x <= 20; x++) store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, x)));
    expect(seen).toHaveBeenCalledTimes(20); // every move is visible immediately
    store.squash(mark);

    expect(store.history().undo).toEqual(['Move image']);
    expect(store.undoLabel()).toBe('Move image');
    store.undo();
    expect(store.document()).toEqual(doc);
    store.redo();
    expect((store.document().records[image.id] as ImageRecord).transform.x).toBe(20);
  });

  it('bail rolls back everything since the mark and leaves no history', () => {
    const { doc, image, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    store.transact('Before', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, fakeHash('m0'))));
    const before = store.document();
    const patches: Array<Patch | null> = [];
    store.subscribe((_d, p) => patches.push(p));

    const mark = store.mark('Move image');
    store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, 5)));
    store.transact('drag', (d) => d.put({ ...image, id: 'ghost', z: keyBetween(mask.z, null) }));
    store.bail(mark);

    expect(store.document()).toEqual(before);
    expect(store.document().records[image.id]).toBe(before.records[image.id]);
    expect(store.history()).toEqual({ undo: ['Before'], redo: [], openMarks: [] });
    // Subscribers saw the rollback as one patch removing the ghost and moving the image back.
    const rollback = patches.at(-1)!;
    expect(Object.keys(rollback.removed)).toEqual(['ghost']);
    expect((rollback.updated[image.id]![1] as ImageRecord).transform.x).toBe(0);
    // bail after squash/bail of the same mark is harmless (pointer-up after Escape).
    store.squash(mark);
    store.bail(mark);
    expect(store.history().undo).toEqual(['Before']);
  });

  it('nested marks: the inner squash folds into the outer step; bailing the outer undoes both', () => {
    const { doc, image, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    const outer = store.mark('Edit');
    store.transact('a', (d) => d.update<ImageRecord>(image.id, moveImage(image, 1)));
    const inner = store.mark('Stroke');
    store.transact('b', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, fakeHash('m1'))));
    store.squash(inner);
    expect(store.history().undo).toEqual([]);
    expect(store.history().openMarks).toEqual(['Edit']);
    store.squash(outer);
    expect(store.history().undo).toEqual(['Edit']);
    store.undo();
    expect(store.document()).toEqual(doc);

    store.redo();
    const afterRedo = store.document();
    const outer2 = store.mark('Edit 2');
    store.transact('c', (d) => d.update<ImageRecord>(image.id, moveImage(image, 9)));
    const inner2 = store.mark('Stroke 2');
    store.transact('d', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, fakeHash('m2'))));
    store.bail(inner2);
    expect((store.document().records[mask.id] as MaskRecord).props.asset).toBe(fakeHash('m1'));
    expect((store.document().records[image.id] as ImageRecord).transform.x).toBe(9);
    store.bail(outer2);
    expect(store.document()).toEqual(afterRedo);
    expect(store.history().undo).toEqual(['Edit']);
  });

  it('a gesture that changes nothing, or ends where it began, leaves no step', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    store.squash(store.mark('Click'));
    const m = store.mark('Wiggle');
    store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, 4)));
    store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, 0)));
    store.squash(m);
    expect(store.canUndo()).toBe(false);
    expect(store.isDirty()).toBe(false);
  });

  it('undo during an open gesture commits it first, then undoes it (redo brings it back)', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const mark = store.mark('Move');
    store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, 7)));
    expect(store.canUndo()).toBe(true);
    expect(store.undoLabel()).toBe('Move');
    store.undo();
    expect(store.document()).toEqual(doc);
    store.squash(mark); // already closed by undo: no-op
    store.redo();
    expect((store.document().records[image.id] as ImageRecord).transform.x).toBe(7);
  });
});

describe('document store: dirty tracking', () => {
  it('is clean at the saved point, also when undo/redo come back to it', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const status = vi.fn();
    store.subscribeHistory(status);
    expect(store.isDirty()).toBe(false);
    store.transact('A', (d) => d.update<ImageRecord>(image.id, moveImage(image, 1)));
    expect(store.isDirty()).toBe(true);
    store.markSaved();
    expect(status).toHaveBeenCalledTimes(2);
    expect(store.isDirty()).toBe(false);
    store.transact('B', (d) => d.update<ImageRecord>(image.id, moveImage(image, 2)));
    expect(store.isDirty()).toBe(true);
    store.undo();
    expect(store.isDirty()).toBe(false);
    store.undo();
    expect(store.isDirty()).toBe(true);
    store.redo();
    expect(store.isDirty()).toBe(false);
  });

  it('a branch away from the saved point stays dirty', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    store.transact('A', (d) => d.update<ImageRecord>(image.id, moveImage(image, 1)));
    store.markSaved();
    store.undo();
    store.transact('B', (d) => d.update<ImageRecord>(image.id, moveImage(image, 2)));
    store.undo();
    expect(store.isDirty()).toBe(true);
  });

  it('is dirty during an open gesture and clean again after bail', () => {
    const { doc, image } = fixtureDocument();
    const store = createDocumentStore(doc);
    const m = store.mark('Move');
    expect(store.isDirty()).toBe(false);
    store.transact('drag', (d) => d.update<ImageRecord>(image.id, moveImage(image, 3)));
    expect(store.isDirty()).toBe(true);
    store.bail(m);
    expect(store.isDirty()).toBe(false);
  });
});

describe('document store: liveAssets', () => {
  it('includes assets of the document, the undo stack, the redo stack and open gestures', () => {
    const { doc, image, mask } = fixtureDocument();
    const store = createDocumentStore(doc);
    const [m1, m2, m3, r1] = [fakeHash('m1'), fakeHash('m2'), fakeHash('m3'), fakeHash('result1')];
    store.transact('Paint 1', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, m1)));
    store.transact('Paint 2', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, m2)));
    store.transact('Erase', (d) => d.update<ImageRecord>(image.id, (r) => ({ ...r, props: { ...r.props, asset: r1, madeBy: 'inpaint:telea' } })));
    store.undo(); // r1 is only in the redo stack now
    expect(store.liveAssets()).toEqual(new Set([image.props.asset, m1, m2, r1]));

    const g = store.mark('Stroke');
    store.transact('s', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, m3)));
    expect(store.liveAssets()).toEqual(new Set([image.props.asset, m1, m2, m3, r1]));
    store.bail(g);
    // A cancelled gesture leaves redo intact; m3 is gone for good.
    expect(store.liveAssets()).toEqual(new Set([image.props.asset, m1, m2, r1]));
    expect(store.canRedo()).toBe(true);

    store.transact('Paint 3', (d) => d.update<MaskRecord>(mask.id, setMaskAsset(mask, m3)));
    // The new step cleared the redo stack: the erase result is no longer live.
    expect(store.liveAssets()).toEqual(new Set([image.props.asset, m1, m2, m3]));
  });
});
