import type { Transform } from '../../../../preload/contract/document';
import { adParts, isAdDocument, isAdLayer, newProductRecord, type AdLayerRecord, type AdParts, type TextRecord } from '../../document/ad-records';
import type { MarkId } from '../../document/types';
import type { MessageKey } from '../../i18n/translate';
import type { Editor } from '../editor';
import { createStateStore, type StateStore } from '../state-store';
import { initialAdCanvasState, type AdCanvasState } from './ad-canvas-state';
import { suggestPlacement } from './auto-place-client';
import type { CutoutPayload } from './cutout-drop';
import { ProductFxCache } from './product-fx';
import { sharedFxClient } from './shared-fx-client';
import type { Box, Guide } from './snapping';
import { centredAt, dropScale, layerBox, translated } from './transform-math';
import { topKey, zKeyFor, type ZMove } from './z-order';

/**
 * The ad canvas controller (editor side of issue #4): selection (session selectedId), gestures as
 * one undo step each (mark on start, transactions while dragging, squash on end, bail on Escape),
 * nudge, delete, z-order, dropping cut-outs, auto place and text edits. The Konva view calls these;
 * it never writes records itself.
 */
export class AdCanvas {
  readonly state: StateStore<AdCanvasState> = createStateStore(initialAdCanvasState());
  readonly fx: ProductFxCache;
  private gestureMark: { mark: MarkId; id: string; label: MessageKey } | null = null;
  private cancelHooks = new Set<() => void>();

  constructor(private readonly ed: Editor) {
    this.fx = new ProductFxCache(sharedFxClient(), (hash) => ed.assets.getImage(hash));
  }

  active(): boolean {
    return isAdDocument(this.ed.document());
  }

  parts(): AdParts | null {
    const doc = this.ed.document();
    return doc && isAdDocument(doc) ? adParts(doc) : null;
  }

  selected(): AdLayerRecord | undefined {
    const id = this.ed.session.get().selectedId;
    const r = id ? this.ed.document()?.records[id] : undefined;
    return this.active() && isAdLayer(r) ? r : undefined;
  }

  select(id: string | null): void {
    if (this.ed.session.get().selectedId !== id) this.ed.session.set({ selectedId: id });
  }

  /** Asset hashes on screen (kept decoded whatever the cache budget). */
  pinned(): string[] {
    const parts = this.parts();
    if (!parts) return [];
    const out = parts.layers.flatMap((l) => (l.type === 'product' ? [l.props.asset] : []));
    if (parts.background) out.push(parts.background.props.asset);
    return out;
  }

  // ---- gestures ----

  /** `wrap`: a side handle on copy changes its wrap width (a transform gesture with its own history label). */
  beginGesture(id: string, kind: 'move' | 'transform' | 'wrap'): void {
    const store = this.ed.store();
    if (!store || this.gestureMark) return;
    const label: MessageKey = kind === 'move' ? 'adCanvas.history.move' : kind === 'wrap' ? 'adCanvas.history.wrap' : 'adCanvas.history.transform';
    this.gestureMark = { mark: store.mark(label), id, label };
    this.select(id);
    this.state.set({ gesture: kind === 'wrap' ? 'transform' : kind });
  }

  /** Live update while dragging (merged into the gesture's one step). */
  updateGesture(transform: Transform): void {
    const g = this.gestureMark;
    const store = this.ed.store();
    if (!g || !store) return;
    setTransform(store, g.label, g.id, transform);
  }

  /** Live update of a side-anchor drag on copy: its transform and wrap width (merged into the gesture's one step). */
  updateTextWrap(transform: Transform, width: number): void {
    const g = this.gestureMark;
    const store = this.ed.store();
    if (!g || !store || this.ed.document()?.records[g.id]?.type !== 'text') return;
    store.transact(g.label, (d) => d.update<TextRecord>(g.id, (x) => ({ ...x, transform, props: { ...x.props, width } })));
  }

  endGesture(): void {
    const g = this.gestureMark;
    this.gestureMark = null;
    if (g) this.ed.store()?.squash(g.mark);
    this.state.set({ gesture: null, guides: [] });
  }

  inGesture(): boolean {
    return this.gestureMark !== null;
  }

  /** Escape: roll the gesture back, no history; true if one was running. */
  cancel(): boolean {
    const g = this.gestureMark;
    if (!g) return false;
    this.gestureMark = null;
    this.ed.store()?.bail(g.mark);
    this.state.set({ gesture: null, guides: [] });
    for (const hook of [...this.cancelHooks]) hook();
    return true;
  }

  /** The view stops Konva's own drag when a gesture is cancelled from the keyboard. */
  onCancel(hook: () => void): () => void {
    this.cancelHooks.add(hook);
    return () => this.cancelHooks.delete(hook);
  }

  setGuides(guides: Guide[]): void {
    const was = this.state.get().guides;
    if (was.length === 0 && guides.length === 0) return;
    this.state.set({ guides });
  }

  // ---- one-step edits ----

  nudge(dx: number, dy: number): void {
    const r = this.selected();
    const store = this.ed.store();
    if (!r || !store || r.locked) return;
    setTransform(store, 'adCanvas.history.nudge', r.id, translated(r.transform, dx, dy));
  }

  remove(): void {
    const r = this.selected();
    const store = this.ed.store();
    if (!r || !store) return;
    store.transact('adCanvas.history.delete', (d) => d.remove(r.id));
    this.select(null);
  }

  reorder(move: ZMove): void {
    const r = this.selected();
    const parts = this.parts();
    const store = this.ed.store();
    if (!r || !parts || !store) return;
    const z = zKeyFor(parts.layers, r.id, move, parts.background?.z ?? null);
    if (z === null) return;
    store.transact('adCanvas.history.order', (d) => d.update<AdLayerRecord>(r.id, (x) => ({ ...x, z })));
  }

  canReorder(move: ZMove): boolean {
    const r = this.selected();
    const parts = this.parts();
    if (!r || !parts) return false;
    const i = parts.layers.findIndex((l) => l.id === r.id);
    return move === 'forward' || move === 'front' ? i < parts.layers.length - 1 : i > 0;
  }

  /** A cut-out dropped at a canvas point: a new product centred there, selected (one step). */
  dropCutout(payload: CutoutPayload, point: { x: number; y: number }, name: string): string | null {
    const doc = this.ed.document();
    const parts = this.parts();
    const store = this.ed.store();
    if (!doc || !parts || !store) return null;
    const scale = dropScale(payload.width, payload.height, doc);
    const record = newProductRecord({
      asset: { hash: payload.asset, width: payload.width, height: payload.height },
      source: payload.source,
      madeBy: payload.madeBy,
      name: payload.name ?? name,
      z: topKey(parts.layers, parts.background?.z ?? null),
      transform: centredAt(point, payload.width, payload.height, scale),
    });
    store.transact('adCanvas.history.add', (d) => d.put(record));
    this.select(record.id);
    return record.id;
  }

  /** Canvas boxes of every layer but `except` (snapping targets, auto place's "others"). */
  otherBoxes(except: string | null, measure: (r: AdLayerRecord) => Box | null): Box[] {
    const parts = this.parts();
    if (!parts) return [];
    return parts.layers.filter((l) => l.id !== except && l.visible).flatMap((l) => measure(l) ?? []);
  }

  /** "Auto place" the selected product (one step). */
  async autoPlaceSelected(measure: (r: AdLayerRecord) => Box | null = defaultMeasure): Promise<void> {
    const r = this.selected();
    const doc = this.ed.document();
    const parts = this.parts();
    if (!r || r.type !== 'product' || !doc || !parts) return;
    this.state.set({ placing: r.id });
    try {
      const t = await suggestPlacement({
        background: parts.background ? { asset: parts.background.props.asset, fit: parts.background.props.fit } : null,
        canvas: { width: doc.width, height: doc.height },
        product: { width: r.props.width, height: r.props.height, asset: r.props.asset },
        others: this.otherBoxes(r.id, measure),
        assets: this.ed.assets,
      });
      const store = this.ed.store();
      // The document may have changed meanwhile (closed, the product deleted): then nothing to place.
      if (!store || this.ed.document()?.records[r.id]?.type !== 'product') return;
      setTransform(store, 'adCanvas.history.autoPlace', r.id, t);
    } catch (err) {
      this.ed.fail('adCanvas.error.autoPlace', err);
    } finally {
      this.state.set({ placing: null });
    }
  }

  // ---- text ----

  startTextEdit(id?: string): void {
    const r = id ? this.ed.document()?.records[id] : this.selected();
    if (r?.type !== 'text' || r.locked) return;
    this.select(r.id);
    this.state.set({ editingTextId: r.id });
  }

  /** Commit the edited words (one step; empty text keeps the old words). */
  commitText(id: string, text: string): void {
    this.state.set({ editingTextId: null });
    const store = this.ed.store();
    const r = this.ed.document()?.records[id];
    if (!store || r?.type !== 'text' || text.trim() === '' || text === r.props.text) return;
    store.transact('adCanvas.history.editText', (d) =>
      d.update<TextRecord>(id, (x) => ({ ...x, name: x.name === x.props.text.split('\n')[0] ? (text.split('\n')[0] ?? '').slice(0, 200) : x.name, props: { ...x.props, text: text.slice(0, 2000) } })),
    );
  }

  cancelTextEdit(): void {
    this.state.set({ editingTextId: null });
  }

  reset(): void {
    this.cancel();
    this.state.set(initialAdCanvasState());
  }
}

function setTransform(store: NonNullable<ReturnType<Editor['store']>>, label: string, id: string, transform: Transform): void {
  store.transact(label, (d) => d.update<AdLayerRecord>(id, (x) => ({ ...x, transform })));
}

/** Products by their record box; text needs the view's measurement (no box without it). */
function defaultMeasure(r: AdLayerRecord): Box | null {
  return r.type === 'product' ? layerBox(r.transform, r.props.width, r.props.height) : null;
}
