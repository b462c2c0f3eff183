import type { AssetCache } from '../assets/asset-cache';
import type { DocumentStore } from '../document/types';
import type { MaskRecord } from '../document/records';
import { isEmpty } from '../mask/morphology';
import { createLiveMask, type LiveMask } from './mask-surface';
import type { HistoryLabel, PixelRect } from './tools/tool-types';

export interface MaskEditorDeps {
  assets: Pick<AssetCache, 'getMask' | 'putMask'>;
  store(): DocumentStore | null;
  appearance(): { color: string; opacity: number };
  /** A failed commit/reload: shown to the user; the mask falls back to what history holds. */
  onError(err: unknown): void;
  onState(patch: { maskEmpty?: boolean; maskBusy?: boolean }): void;
}

/** What to redraw: an image-pixel rect, or null for everything (new mask, colour, reload). */
export type RepaintListener = (rect: PixelRect | null) => void;

/**
 * Owns the working mask of the open document: the live Uint8Array tools paint into, repaint
 * notices for the view that draws it (dirty rects only while painting), and the commit queue that
 * turns finished gestures into assets and one history step each. History stays the source of truth:
 * whenever the mask record points at an asset we did not just write (undo, redo, open), it is reloaded.
 */
export class MaskEditor {
  live: LiveMask | null = null;
  private recordId: string | null = null;
  /** The asset the live data was loaded from or last committed as (null = empty). */
  private hash: string | null = null;
  private loading = 0;
  private queue: Promise<void> = Promise.resolve();
  private listeners = new Set<RepaintListener>();

  constructor(private readonly deps: MaskEditorDeps) {}

  /** The surface tools may paint into (null while there is no mask or it is (re)loading). */
  surface(): LiveMask | null {
    return this.loading > 0 ? null : this.live;
  }

  /** Redraw requests for the view that shows the live mask. */
  onRepaint(listener: RepaintListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Overlay colour and opacity (settings). */
  appearance(): { color: string; opacity: number } {
    return this.deps.appearance();
  }

  /** Follow the document: (re)create for a new mask record, reload when history moved the asset. */
  sync(mask: MaskRecord | undefined): void {
    if (!mask) {
      this.reset();
      return;
    }
    const { width, height, asset } = mask.props;
    if (this.recordId !== mask.id || !this.live || this.live.width !== width || this.live.height !== height) {
      this.create(mask.id, width, height);
      this.hash = null;
      if (asset) void this.reload(asset);
      else this.deps.onState({ maskEmpty: true });
      return;
    }
    if (asset !== this.hash) {
      if (asset) void this.reload(asset);
      else {
        this.hash = null;
        this.live.replace(new Uint8Array(width * height));
        this.deps.onState({ maskEmpty: true });
      }
    }
  }

  reset(): void {
    this.live = null;
    this.recordId = null;
    this.hash = null;
    this.emit(null);
  }

  /** Colour or opacity changed: recolour the whole overlay. */
  refreshAppearance(): void {
    this.emit(null);
  }

  /** Resolves when every queued commit has reached the document. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** A tool finished a gesture: store `data` as an asset and make it one undo step. */
  commit(data: Uint8Array, label: HistoryLabel): void {
    const recordId = this.recordId;
    if (!recordId || !this.live) return;
    const { width, height } = this.live;
    this.enqueue(async () => {
      const empty = isEmpty(data);
      // `data` is the live mask's private copy: handed over, not copied again.
      const hash = empty ? null : (await this.deps.assets.putMask(data, width, height, undefined, { adopt: true })).hash;
      this.writeAsset(recordId, hash, label);
      // Only the latest commit reflects what is on screen; earlier ones may lag behind painting.
      if (this.live && !this.live.inGesture()) this.deps.onState({ maskEmpty: isEmpty(this.live.data) });
    });
  }

  /**
   * A whole-mask action (grow, feather, invert…): compute from the committed mask, show and commit
   * it as one step. Runs after pending commits so it sees every stroke.
   */
  transform(label: HistoryLabel, fn: (data: Uint8Array, width: number, height: number) => Promise<Uint8Array> | Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      const live = this.live;
      const recordId = this.recordId;
      if (!live || !recordId) return;
      this.deps.onState({ maskBusy: true });
      try {
        const next = await fn(live.data, live.width, live.height);
        if (this.live !== live) return; // the document changed meanwhile
        const empty = isEmpty(next);
        const hash = empty ? null : (await this.deps.assets.putMask(next, live.width, live.height)).hash;
        live.replace(next);
        this.writeAsset(recordId, hash, label);
        this.deps.onState({ maskEmpty: empty });
      } finally {
        this.deps.onState({ maskBusy: false });
      }
    });
  }

  /** Point the mask at an existing asset (import) as one step; the live data reloads from it. */
  setAsset(label: HistoryLabel, hash: string | null): Promise<void> {
    return this.enqueue(async () => {
      const store = this.deps.store();
      if (!store || !this.recordId) return;
      const id = this.recordId;
      store.transact(label, (d) => d.update<MaskRecord>(id, (r) => ({ ...r, props: { ...r.props, asset: hash } })));
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job).catch((err: unknown) => {
      this.deps.onError(err);
      // Show what history holds again, so the screen never lies about the mask.
      const store = this.deps.store();
      const rec = this.recordId ? store?.document().records[this.recordId] : undefined;
      this.hash = '\u0000stale';
      if (rec?.type === 'mask') this.sync(rec);
    });
    this.queue = run;
    return run;
  }

  private writeAsset(recordId: string, hash: string | null, label: HistoryLabel): void {
    const store = this.deps.store();
    if (!store) return;
    // Set before the transaction: its change notification must not reload what we already show.
    this.hash = hash;
    const mark = store.mark(label);
    try {
      store.transact(label, (d) => d.update<MaskRecord>(recordId, (r) => ({ ...r, props: { ...r.props, asset: hash } })));
      store.squash(mark);
    } catch (err) {
      store.bail(mark);
      throw err;
    }
  }

  private async reload(hash: string): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.hash = hash;
    this.loading++;
    try {
      const data = await this.deps.assets.getMask(hash, live.width, live.height);
      if (this.live !== live || this.hash !== hash) return; // superseded
      live.replace(data);
      this.deps.onState({ maskEmpty: isEmpty(data) });
    } catch (err) {
      this.deps.onError(err);
    } finally {
      this.loading--;
    }
  }

  private create(recordId: string, width: number, height: number): void {
    this.recordId = recordId;
    this.live = createLiveMask(width, height, null, {
      repaint: (rect) => this.emit(rect),
      commit: (data, label) => this.commit(data, label),
    });
    this.emit(null);
  }

  private emit(rect: PixelRect | null): void {
    for (const l of [...this.listeners]) l(rect);
  }
}
