import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AssetInfo } from '../../../../preload/contract/channels';
import { imageRecordOf, maskRecordOf, newDocument } from '../../../../renderer/src/document/records';
import { createDocumentStore } from '../../../../renderer/src/document/store';
import type { DocumentStore } from '../../../../renderer/src/document/types';
import { MaskEditor } from '../../../../renderer/src/editor/mask-editor';
import { createTools } from '../../../../renderer/src/editor/tools/create-tools';

const W = 40;
const H = 30;

/** In-memory asset store with real content hashes (what putMask/getMask do against the host). */
function fakeAssets() {
  const masks = new Map<string, Uint8Array>();
  let uploads = 0;
  return {
    uploads: () => uploads,
    async putMask(data: Uint8Array, width: number, height: number): Promise<AssetInfo> {
      uploads++;
      const hash = createHash('sha256').update(data).digest('hex');
      masks.set(hash, data.slice());
      return { hash, kind: 'mask', mime: 'image/png', width, height, bytes: data.length };
    },
    async getMask(hash: string): Promise<Uint8Array> {
      const m = masks.get(hash);
      if (!m) throw new Error(`no mask ${hash}`);
      return m;
    },
  };
}

function setup() {
  const image: AssetInfo = { hash: 'a'.repeat(64), kind: 'image', mime: 'image/png', width: W, height: H, bytes: 1 };
  const store: DocumentStore = createDocumentStore(newDocument({ title: 't', asset: image, name: 'photo.png' }));
  const assets = fakeAssets();
  const errors: unknown[] = [];
  const state: { maskEmpty?: boolean; maskBusy?: boolean } = {};
  const mask = new MaskEditor({
    assets,
    store: () => store,
    appearance: () => ({ color: '#ff0000', opacity: 0.5 }),
    onError: (e) => errors.push(e),
    onState: (p) => Object.assign(state, p),
  });
  const maskRecord = () => {
    const doc = store.document();
    return maskRecordOf(doc, imageRecordOf(doc)!.id)!;
  };
  store.subscribe(() => mask.sync(maskRecord()));
  mask.sync(maskRecord());
  const tools = createTools({
    surface: () => mask.surface(),
    brush: () => ({ size: 6, hardness: 1 }),
    shapeMode: () => 'add',
    preview: () => {},
  });
  const settle = async () => {
    await mask.idle();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { store, mask, tools, assets, errors, state, maskRecord, settle };
}

const stroke = (tools: ReturnType<typeof createTools>, y: number) => {
  tools.brush!.down({ x: 2, y, alt: false });
  tools.brush!.move({ x: 35, y, alt: false });
  tools.brush!.up({ x: 35, y, alt: false });
};

describe('mask editing through the document store', () => {
  it('each stroke becomes one labelled undo step; undo/redo bring the exact pixels back', async () => {
    const { store, mask, tools, maskRecord, settle, state } = setup();
    expect(store.canUndo()).toBe(false);

    stroke(tools, 5);
    await settle();
    const afterFirst = mask.live!.data.slice();
    const firstHash = maskRecord().props.asset;
    expect(firstHash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.undoLabel()).toBe('history.brush');
    expect(state.maskEmpty).toBe(false);

    stroke(tools, 20);
    await settle();
    expect(store.history().undo).toEqual(['history.brush', 'history.brush']);
    expect(mask.live!.data[20 * W + 20]).toBe(255);

    store.undo();
    await settle();
    expect(maskRecord().props.asset).toBe(firstHash);
    expect(mask.live!.data).toEqual(afterFirst);

    store.undo();
    await settle();
    expect(maskRecord().props.asset).toBeNull();
    expect(mask.live!.data.every((v) => v === 0)).toBe(true);
    expect(state.maskEmpty).toBe(true);

    store.redo();
    await settle();
    expect(mask.live!.data).toEqual(afterFirst);
  });

  it('Escape during a stroke leaves no history and no upload', async () => {
    const { store, mask, tools, assets, settle } = setup();
    stroke(tools, 5);
    await settle();
    const before = mask.live!.data.slice();
    const uploads = assets.uploads();
    tools.brush!.down({ x: 1, y: 25, alt: false });
    tools.brush!.move({ x: 39, y: 25, alt: false });
    tools.brush!.cancel();
    tools.brush!.up({ x: 39, y: 25, alt: false });
    await settle();
    expect(mask.live!.data).toEqual(before);
    expect(store.history().undo).toHaveLength(1);
    expect(assets.uploads()).toBe(uploads);
  });

  it('erasing everything stores an empty mask as null (no asset)', async () => {
    const { store, tools, maskRecord, settle } = setup();
    stroke(tools, 5);
    await settle();
    tools.eraser!.down({ x: 0, y: 5, alt: false });
    tools.eraser!.move({ x: 39, y: 5, alt: false });
    tools.eraser!.up({ x: 39, y: 5, alt: false });
    await settle();
    expect(maskRecord().props.asset).toBeNull();
    expect(store.history().undo).toEqual(['history.brush', 'history.eraser']);
  });

  it('a whole-mask action (invert) is one step and survives undo', async () => {
    const { store, mask, tools, settle } = setup();
    stroke(tools, 5);
    await settle();
    const painted = mask.live!.data.slice();
    await mask.transform('history.invert', (m) => m.map((v) => 255 - v));
    await settle();
    expect(store.undoLabel()).toBe('history.invert');
    expect(mask.live!.data[5 * W + 20]).toBe(0);
    expect(mask.live!.data[25 * W + 20]).toBe(255);
    store.undo();
    await settle();
    expect(mask.live!.data).toEqual(painted);
  });

  it('strokes painted while an earlier commit is still uploading are kept', async () => {
    const { store, mask, tools, settle } = setup();
    stroke(tools, 5);
    stroke(tools, 20); // second stroke before the first commit resolved
    await settle();
    expect(store.history().undo).toHaveLength(2);
    expect(mask.live!.data[5 * W + 20]).toBe(255);
    expect(mask.live!.data[20 * W + 20]).toBe(255);
  });
});
