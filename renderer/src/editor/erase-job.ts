import type { EventPayload } from '../../../preload/contract/channels';
import type { ImageRecord, MaskRecord } from '../document/records';
import type { Editor } from './editor';
import { unwrap } from './errors';

type Finished = EventPayload<'jobFinished'>;
type Progress = EventPayload<'jobProgress'>;

interface Sent {
  imageId: string;
  maskId: string;
  image: string;
  mask: string;
}

/**
 * Erase = one inpaint job on the host. Progress and the result arrive as events, possibly before
 * startInpaint has answered with the job id, so events for unknown jobs are held briefly.
 */
export class EraseJobs {
  private sent: Sent | null = null;
  private early = new Map<string, { progress?: Progress; finished?: Finished }>();

  constructor(private readonly ed: Editor) {
    ed.listen(ed.api.on('jobProgress', (p) => this.onProgress(p)));
    ed.listen(ed.api.on('jobFinished', (p) => this.onFinished(p)));
  }

  canErase(): boolean {
    const s = this.ed.session.get();
    return s.hasDocument && !s.maskEmpty && !s.job && !s.compare && s.connection === 'connected';
  }

  async start(): Promise<void> {
    const ed = this.ed;
    if (ed.session.get().job) return;
    ed.cancelGesture();
    ed.session.set({ job: { jobId: null, phase: 'starting', progress: 0 } });
    try {
      await ed.mask.idle();
      await ed.waitForUploads(); // the engine reads the image and mask from the host's store
      const image = ed.image();
      const mask = ed.maskRecord();
      if (!image || !mask?.props.asset) {
        ed.session.set({ job: null });
        ed.notify('info', 'action.eraseDisabledEmpty');
        return;
      }
      this.sent = { imageId: image.id, maskId: mask.id, image: image.props.asset, mask: mask.props.asset };
      const method = ed.settings.get().inpaintMethod;
      const { jobId } = unwrap(await ed.api.startInpaint({ image: image.props.asset, mask: mask.props.asset, ...(method ? { method } : {}) }));
      ed.session.set((s) => ({ job: s.job ? { ...s.job, jobId, phase: s.job.phase === 'cancelling' ? 'cancelling' : 'running' } : null }));
      const early = this.early.get(jobId);
      this.early.clear();
      if (early?.progress) this.onProgress(early.progress);
      if (early?.finished) this.onFinished(early.finished);
      // Cancel was pressed before the id was known.
      if (ed.session.get().job?.phase === 'cancelling') await this.cancel();
    } catch (err) {
      this.sent = null;
      ed.session.set({ job: null });
      ed.fail('error.eraseFailed', err);
    }
  }

  async cancel(): Promise<void> {
    const ed = this.ed;
    const job = ed.session.get().job;
    if (!job) return;
    ed.session.set({ job: { ...job, phase: 'cancelling' } });
    if (!job.jobId) return; // start() cancels once it knows the id
    const result = await ed.api.cancelJob({ jobId: job.jobId });
    if (!result.ok) ed.fail('error.eraseFailed', result.error);
  }

  private onProgress(p: Progress): void {
    const job = this.ed.session.get().job;
    if (!job) return;
    if (job.jobId === null) {
      this.early.set(p.jobId, { ...this.early.get(p.jobId), progress: p });
      return;
    }
    if (job.jobId !== p.jobId) return;
    // Progress never goes backwards on screen, even if events arrive out of order.
    this.ed.session.set({ job: { ...job, progress: Math.max(job.progress, p.progress), ...(p.message ? { message: p.message } : {}) } });
  }

  private onFinished(p: Finished): void {
    const ed = this.ed;
    const job = ed.session.get().job;
    if (!job) return;
    if (job.jobId === null) {
      this.early.set(p.jobId, { ...this.early.get(p.jobId), finished: p });
      return;
    }
    if (job.jobId !== p.jobId) return;
    const sent = this.sent;
    this.sent = null;
    ed.session.set({ job: null });
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

  /** The result replaces the image and clears the mask as ONE undo step, then compare opens. */
  private applyResult(sent: Sent, resultHash: string, madeBy: string): void {
    const ed = this.ed;
    const store = ed.store();
    if (!store) return;
    const current = store.document().records[sent.imageId];
    if (current?.type !== 'image') return; // another document is open now
    store.transact('history.erase', (d) => {
      d.update<ImageRecord>(sent.imageId, (r) => ({ ...r, props: { ...r.props, asset: resultHash, madeBy: madeBy.slice(0, 100) } }));
      // Keep strokes painted while the job ran; clear only the mask that was erased.
      const mask = d.get(sent.maskId);
      if (mask?.type === 'mask' && mask.props.asset === sent.mask) {
        d.update<MaskRecord>(sent.maskId, (r) => ({ ...r, props: { ...r.props, asset: null } }));
      }
    });
    ed.session.set({ compare: { imageId: sent.imageId, before: current.props.asset, after: resultHash, split: 0.5, holding: false } });
    void ed.assets.getImage(current.props.asset).catch(() => {});
    ed.notify('success', 'job.done');
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
    if (ed.image()?.props.asset === cmp.after && store.undoLabel() === 'history.erase') store.undo();
  }
}
