import type { EventPayload } from '../../../preload/contract/channels';
import type { MessageKey } from '../i18n/translate';
import type { Editor } from './editor';
import type { JobKind } from './session-state';

type Finished = EventPayload<'jobFinished'>;
type Progress = EventPayload<'jobProgress'>;

export interface HostJobSpec {
  kind: JobKind;
  /**
   * Prepare and ask the host to start; resolves with the job id, or null when there turned out to be
   * nothing to do (the job then ends quietly; say why before returning). Throwing ends it with
   * `startFailed` as the notice title.
   */
  start(): Promise<string | null>;
  /** The host reported the end (done, cancelled or failed); session.job is already cleared. */
  finished(p: Finished): void;
  startFailed: MessageKey;
}

/**
 * The one running host job (erase or text detection) in session.job: the job toast's progress and
 * Cancel, and events matched to it. Progress and the end arrive as events, possibly before the
 * start call has answered with the job id, so events for unknown jobs are held briefly.
 */
export class HostJobs {
  private spec: HostJobSpec | null = null;
  private early = new Map<string, { progress?: Progress; finished?: Finished }>();

  constructor(private readonly ed: Editor) {
    ed.listen(ed.api.on('jobProgress', (p) => this.onProgress(p)));
    ed.listen(ed.api.on('jobFinished', (p) => this.onFinished(p)));
  }

  busy(): boolean {
    return this.ed.session.get().job !== null;
  }

  /** Start `spec` unless a job is running already (then nothing happens: a second press is harmless). */
  async run(spec: HostJobSpec): Promise<void> {
    const ed = this.ed;
    if (this.busy()) return;
    this.spec = spec;
    this.early.clear();
    ed.session.set({ job: { kind: spec.kind, jobId: null, phase: 'starting', progress: 0 } });
    let jobId: string | null;
    try {
      jobId = await spec.start();
    } catch (err) {
      this.end(spec);
      ed.fail(spec.startFailed, err);
      return;
    }
    if (jobId === null) {
      this.end(spec);
      return;
    }
    ed.session.set((s) => ({ job: s.job ? { ...s.job, jobId, phase: s.job.phase === 'cancelling' ? 'cancelling' : 'running' } : null }));
    const early = this.early.get(jobId);
    this.early.clear();
    if (early?.progress) this.onProgress(early.progress);
    if (early?.finished) this.onFinished(early.finished);
    // Cancel was pressed before the id was known.
    if (ed.session.get().job?.phase === 'cancelling') await this.cancel();
  }

  /** Cancel the running job (the toast's Cancel); its end still arrives as jobFinished. */
  async cancel(): Promise<void> {
    const ed = this.ed;
    const job = ed.session.get().job;
    if (!job) return;
    ed.session.set({ job: { ...job, phase: 'cancelling' } });
    if (!job.jobId) return; // run() cancels once it knows the id
    const result = await ed.api.cancelJob({ jobId: job.jobId });
    if (!result.ok) ed.fail(this.spec?.startFailed ?? 'error.eraseFailed', result.error);
  }

  private end(spec: HostJobSpec): void {
    if (this.spec !== spec) return;
    this.spec = null;
    this.ed.session.set({ job: null });
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
    const job = this.ed.session.get().job;
    if (!job) return;
    if (job.jobId === null) {
      this.early.set(p.jobId, { ...this.early.get(p.jobId), finished: p });
      return;
    }
    if (job.jobId !== p.jobId) return;
    const spec = this.spec;
    this.spec = null;
    this.ed.session.set({ job: null });
    spec?.finished(p);
  }
}
