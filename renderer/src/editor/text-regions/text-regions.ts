import type { EventPayload } from '../../../../preload/contract/channels';
import type { MaskCrop } from '../../mask/compose-regions';
import { sharedMaskWorker } from '../../mask/mask-worker-client';
import type { Editor } from '../editor';
import { unwrap } from '../errors';
import type { TextRegionsState } from '../session-state';
import { hitRegion } from './region-hit';
import { enabledRegions, proposeRegions, setAllRegions, setRegion, toggleRegion } from './region-state';

type Finished = EventPayload<'jobFinished'>;
interface Target {
  docSerial: number;
  image: string;
  width: number;
  height: number;
}

/** What menus and buttons need to know (ActionState). */
export interface TextRegionsSummary {
  /** Regions are proposed for the image on screen (the panel and outlines show). */
  visible: boolean;
  total: number;
  enabled: number;
}

/**
 * "Detect text" and what follows: the detection job (HostJobs: progress, cancel), the proposed
 * regions as session state (session.textRegions), their mask crops, per-region toggles, and the two
 * ways to use them: merge into the document's mask (one undo step) or erase them right away (the
 * mask merge and the erase result are one undo step; see EraseJobs). Composition runs in the mask
 * worker: a 24-megapixel mask is too big to merge on the UI thread.
 */
export class TextRegions {
  /** Decoded crop of each region (by id) of the current proposal; kept here, not in the LRU, so they never vanish. */
  private crops = new Map<number, MaskCrop>();
  /** Settles when the current proposal's crops are decoded (rejects if one could not be loaded). */
  private loading: Promise<void> = Promise.resolve();
  private loadSeq = 0;

  constructor(private readonly ed: Editor) {}

  state(): TextRegionsState | null {
    return this.ed.session.get().textRegions;
  }

  /** Proposed for the image the document shows now, and not hidden by a comparison. */
  visible(): boolean {
    const s = this.ed.session.get();
    const t = s.textRegions;
    return !!t && t.docSerial === s.docSerial && s.hasDocument && this.ed.image()?.props.asset === t.image && !s.compare;
  }

  summary(): TextRegionsSummary {
    const t = this.state();
    const visible = this.visible();
    return { visible, total: visible && t ? t.regions.length : 0, enabled: visible && t ? t.enabled.filter(Boolean).length : 0 };
  }

  canDetect(): boolean {
    const s = this.ed.session.get();
    return s.hasDocument && !s.job && !s.compare && s.connection === 'connected';
  }

  /** The decoded crop of region `id` (undefined while loading, or when it masks nothing). */
  crop(id: number): MaskCrop | undefined {
    return this.crops.get(id);
  }

  // ---- detection ----

  /** Find the text in the open image; a second press while one runs does nothing. */
  async detect(): Promise<void> {
    const ed = this.ed;
    if (!this.canDetect()) return;
    let target: Target | null = null;
    await ed.hostJobs.run({
      kind: 'detect',
      startFailed: 'detect.startFailed',
      start: async () => {
        const img = ed.image();
        if (!img) return null;
        // The detector reads the image from the host's store.
        await ed.assets.whenUploaded([img.props.asset]);
        target = { docSerial: ed.session.get().docSerial, image: img.props.asset, width: img.props.width, height: img.props.height };
        return unwrap(await ed.api.startDetectText({ image: img.props.asset })).jobId;
      },
      finished: (p) => this.onFinished(p, target),
    });
  }

  private onFinished(p: Finished, target: Target | null): void {
    const ed = this.ed;
    // Another image was opened meanwhile: this result (or its cancellation) is of no interest any more.
    const stale = !target || target.docSerial !== ed.session.get().docSerial || ed.image()?.props.asset !== target.image;
    if (p.status === 'cancelled') {
      if (!stale) ed.notify('info', 'detect.cancelled');
      return;
    }
    if (p.status === 'failed' || !p.regions) {
      if (!stale) ed.notify('error', 'detect.failed', undefined, p.error?.message, p.error?.code ?? 'engine');
      return;
    }
    if (stale || !target) return;
    const state = proposeRegions(target, p.regions);
    ed.session.set({ textRegions: state, textHover: null });
    this.loadCrops(state);
    if (state.regions.length === 0) ed.notify('info', 'detect.none');
    else ed.notify('success', 'detect.found', { count: state.regions.length });
  }

  private loadCrops(state: TextRegionsState): void {
    const ed = this.ed;
    const seq = ++this.loadSeq;
    const crops = new Map<number, MaskCrop>();
    this.crops = crops;
    this.loading = Promise.all(
      state.regions.map(async (r) => {
        const m = r.mask;
        if (!m) return;
        const data = await ed.assets.getMask(m.asset, m.width, m.height);
        crops.set(r.id, { x: m.x, y: m.y, width: m.width, height: m.height, data });
      }),
    ).then(() => {
      if (seq !== this.loadSeq) return;
      ed.session.set((s) => (s.textRegions === null ? {} : { textRegions: { ...s.textRegions, cropsReady: true } }));
    });
    this.loading.catch((err: unknown) => {
      if (seq === this.loadSeq) ed.fail('detect.failed', err);
    });
  }

  // ---- toggles ----

  toggle(id: number): void {
    this.update((t) => toggleRegion(t, id));
  }

  setEnabled(id: number, on: boolean): void {
    this.update((t) => setRegion(t, id, on));
  }

  setAll(on: boolean): void {
    this.update((t) => setAllRegions(t, on));
  }

  hover(id: number | null): void {
    if (this.ed.session.get().textHover !== id) this.ed.session.set({ textHover: id });
  }

  /** The region a click at image point (x, y) toggles at `zoom`, if the regions are on screen. */
  hitTest(x: number, y: number, zoom: number): number | null {
    const t = this.state();
    return t && this.visible() ? hitRegion(t.regions, x, y, zoom) : null;
  }

  private update(fn: (t: TextRegionsState) => TextRegionsState): void {
    const t = this.state();
    if (t && this.visible()) this.ed.session.set({ textRegions: fn(t) });
  }

  // ---- using the proposal ----

  /** The enabled regions' crops maxed over `base` (the image's size), in the mask worker. */
  async compose(base: Uint8Array | null): Promise<Uint8Array<ArrayBuffer>> {
    const t = this.state();
    if (!t) throw new Error('no text regions are proposed');
    await this.loading;
    const crops = enabledRegions(t).flatMap((r) => this.crops.get(r.id) ?? []);
    return sharedMaskWorker().compose(base, t.width, t.height, crops);
  }

  /** The proposed mask alone (enabled regions), image-sized; null when nothing is proposed. */
  async proposedMask(): Promise<Uint8Array | null> {
    return this.state() ? this.compose(null) : null;
  }

  /** Merge the enabled regions into the document's mask as one undo step; the proposal is then done. */
  async addToMask(): Promise<void> {
    const ed = this.ed;
    const t = this.state();
    if (!t || !this.visible()) return;
    const count = enabledRegions(t).length;
    if (count === 0) return;
    let merged = false;
    await ed.mask.transform('history.addTextMask', async (mask, width, height) => {
      if (width !== t.width || height !== t.height) throw new Error(`the regions were found in a ${t.width}×${t.height} image, but the mask is ${width}×${height}`);
      const out = await this.compose(mask);
      merged = true;
      return out;
    });
    if (!merged) return; // the failure was shown by the mask editor
    if (this.state() === t) this.dismiss();
    ed.notify('success', 'detect.added', { count });
  }

  /**
   * Erase the enabled regions (plus whatever the mask holds) now. The merged mask goes to the engine
   * only: the document changes once, when the result arrives (image replaced, mask cleared), so one
   * undo restores both and a cancel changes nothing. The proposal stays with the original image:
   * undoing the erase shows it again.
   */
  async eraseAll(): Promise<void> {
    const ed = this.ed;
    const t = this.state();
    if (!t || !this.visible() || enabledRegions(t).length === 0) return;
    await ed.jobs.start({
      label: 'history.eraseText',
      mask: async () => {
        const rec = ed.maskRecord();
        if (!rec || rec.props.width !== t.width || rec.props.height !== t.height) return null;
        const base = rec.props.asset ? await ed.assets.getMask(rec.props.asset, rec.props.width, rec.props.height) : null;
        return this.compose(base);
      },
    });
  }

  /** Forget the proposal (the panel's close button, or it was merged into the mask). */
  dismiss(): void {
    this.loadSeq++;
    this.crops = new Map();
    this.loading = Promise.resolve();
    this.ed.session.set({ textRegions: null, textHover: null });
  }

  /** Another document is being opened or the document closed: stop a running detection, forget everything. */
  reset(): void {
    if (this.ed.session.get().job?.kind === 'detect') void this.ed.hostJobs.cancel();
    this.dismiss();
  }
}
