import type { EventPayload } from '../../../preload/contract/channels';
import type { ImageRecord, MaskRecord } from '../document/records';
import { isEmpty } from '../mask/morphology';
import type { Editor } from './editor';
import { unwrap } from './errors';
import { madeByName } from './methods/method-names';
import type { HistoryLabel } from './tools/tool-types';

type Finished = EventPayload<'jobFinished'>;

interface Sent {
  imageId: string;
  maskId: string;
  image: string;
  /** The mask the engine erased. */
  mask: string;
  /** The document's mask when the erase started (what the result step clears if still there). */
  docMask: string | null;
  label: HistoryLabel;
}

export interface EraseOptions {
  /** History label of the step (default 'history.erase'). */
  label?: HistoryLabel;
  /**
   * The mask to erase instead of the document's (e.g. the document's mask plus the proposed text
   * regions), computed once pending strokes are committed. It never enters history on its own: the
   * result step swaps the image and clears the document's mask together, so one undo restores both,
   * and a cancelled erase leaves the document untouched. null = nothing to erase.
   */
  mask?: () => Promise<Uint8Array | null>;
}

/** Steps that EraseJobs writes (compare's Discard undoes only these). */
const ERASE_LABELS: ReadonlySet<string> = new Set<HistoryLabel>(['history.erase', 'history.eraseText']);

/** Erase = one inpaint job on the host (HostJobs runs it: progress, cancel, events). */
export class EraseJobs {
  private sent: Sent | null = null;

  constructor(private readonly ed: Editor) {}

  canErase(): boolean {
    const s = this.ed.session.get();
    return s.hasDocument && !s.maskEmpty && !s.job && !s.compare && s.connection === 'connected';
  }

  start(options: EraseOptions = {}): Promise<void> {
    const ed = this.ed;
    if (ed.session.get().job) return Promise.resolve();
    ed.cancelGesture();
    return ed.hostJobs.run({
      kind: 'erase',
      startFailed: 'error.eraseFailed',
      start: () => this.send(options),
      finished: (p) => this.onFinished(p),
    });
  }

  /** Cancel the running job (whatever its kind: the toast shows one job). */
  cancel(): Promise<void> {
    return this.ed.hostJobs.cancel();
  }

  private async send(options: EraseOptions): Promise<string | null> {
    const ed = this.ed;
    this.sent = null;
    await ed.mask.idle();
    await ed.waitForUploads(); // the engine reads the image and mask from the host's store
    const image = ed.image();
    const mask = ed.maskRecord();
    let erase = mask?.props.asset ?? null;
    if (image && mask && options.mask) {
      const data = await options.mask();
      const stored = data && !isEmpty(data) ? await ed.assets.putMask(data, mask.props.width, mask.props.height) : null;
      if (stored) await ed.assets.whenUploaded([stored.hash]);
      erase = stored?.hash ?? null;
    }
    if (!image || !mask || !erase) {
      ed.notify('info', 'action.eraseDisabledEmpty');
      return null;
    }
    const method = ed.settings.get().inpaintMethod;
    const { jobId } = unwrap(await ed.api.startInpaint({ image: image.props.asset, mask: erase, ...(method ? { method } : {}) }));
    this.sent = { imageId: image.id, maskId: mask.id, image: image.props.asset, mask: erase, docMask: mask.props.asset, label: options.label ?? 'history.erase' };
    return jobId;
  }

  private onFinished(p: Finished): void {
    const ed = this.ed;
    const sent = this.sent;
    this.sent = null;
    if (p.status === 'cancelled') {
      ed.notify('info', 'job.cancelled');
      return;
    }
    if (p.status === 'failed' || !p.result || !sent) {
      ed.notify('error', 'job.failed', undefined, p.error?.message, p.error?.code ?? 'engine');
      return;
    }
    this.applyResult(sent, p.result.hash, p.madeBy ?? 'inpaint');
  }

  /** The result replaces the image and clears the erased mask as ONE undo step, then compare opens. */
  private applyResult(sent: Sent, resultHash: string, madeBy: string): void {
    const ed = this.ed;
    const store = ed.store();
    if (!store) return;
    const current = store.document().records[sent.imageId];
    if (current?.type !== 'image') return; // another document is open now
    store.transact(sent.label, (d) => {
      d.update<ImageRecord>(sent.imageId, (r) => ({ ...r, props: { ...r.props, asset: resultHash, madeBy: madeBy.slice(0, 100) } }));
      // Keep strokes painted while the job ran; clear only the mask that was erased.
      const mask = d.get(sent.maskId);
      if (mask?.type === 'mask' && mask.props.asset !== null && mask.props.asset === sent.docMask) {
        d.update<MaskRecord>(sent.maskId, (r) => ({ ...r, props: { ...r.props, asset: null } }));
      }
    });
    ed.session.set({ compare: { imageId: sent.imageId, before: current.props.asset, after: resultHash, split: 0.5, holding: false } });
    void ed.assets.getImage(current.props.asset).catch(() => {});
    // Say which method made the pixels ("LaMa(으)로 지웠습니다."), so a retry with another one is a choice.
    const by = madeByName(madeBy);
    if (by) ed.notify('success', 'methods.doneBy', { method: by });
    else ed.notify('success', 'job.done');
  }

  /** Keep the result: leave compare mode. */
  accept(): void {
    this.ed.session.set({ compare: null });
  }

  /** Throw the result away: undo the erase step (restores image and mask). */
  async discard(): Promise<void> {
    const ed = this.ed;
    const cmp = ed.session.get().compare;
    ed.session.set({ compare: null });
    const store = ed.store();
    if (!cmp || !store) return;
    await ed.mask.idle();
    const label = store.undoLabel();
    if (ed.image()?.props.asset === cmp.after && label !== null && ERASE_LABELS.has(label)) store.undo();
  }
}
