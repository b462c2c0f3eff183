import type { AdstudioApi } from '../../../../preload/contract/api';
import type { AppErrorShape } from '../../../../preload/contract/errors';
import type { EventPayload } from '../../../../preload/contract/channels';
import type { DownloadView, ModelInfo } from './methods-model';

type Finished = EventPayload<'jobFinished'>;
type Progress = EventPayload<'jobProgress'>;

export type DownloadsApi = Pick<AdstudioApi, 'startModelDownload' | 'cancelJob' | 'on'>;

export interface DownloadsState {
  /** Model id → the download running for it. */
  running: Readonly<Record<string, DownloadView>>;
}

/** How a download ended, for whoever tells the user (a notice) and refreshes the lists. */
export interface DownloadEnd {
  modelId: string;
  status: Finished['status'] | 'start-failed';
  error?: AppErrorShape | { code: string; message: string };
}

interface Tracked extends DownloadView {
  /** The list generation when the job id became known (see reconcile). */
  knownAt: number;
}

/**
 * Model downloads the editor follows, outside React so a download keeps its progress when the
 * panel that started it unmounts (no document open) and comes back. Events arrive for every job;
 * only the downloads' own ids are taken, and events that overtake startModelDownload's answer are
 * held until the id is known (as HostJobs does for erases).
 */
export class ModelDownloads {
  private running: Record<string, Tracked> = {};
  private snapshot: DownloadsState = { running: {} };
  private readonly listeners = new Set<() => void>();
  private readonly endListeners = new Set<(end: DownloadEnd) => void>();
  private readonly early = new Map<string, { progress?: Progress; finished?: Finished }>();
  private generation = 0;

  constructor(private readonly api: DownloadsApi) {
    api.on('jobProgress', (p) => this.onProgress(p));
    api.on('jobFinished', (p) => this.onFinished(p));
  }

  get = (): DownloadsState => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called once per ended download (done, cancelled, failed, or refused at the start). */
  onEnd(listener: (end: DownloadEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Start (or resume) fetching a model; a second press while it runs does nothing. */
  async start(modelId: string): Promise<void> {
    if (this.held(modelId)) return;
    this.set(modelId, { jobId: null, phase: 'starting', progress: 0, knownAt: this.generation });
    const r = await this.api.startModelDownload({ id: modelId });
    // Cancel may have been pressed meanwhile (phase 'cancelling').
    const current = this.held(modelId);
    if (!r.ok) {
      this.remove(modelId);
      this.ended({ modelId, status: 'start-failed', error: r.error });
      return;
    }
    // Cancel was pressed before the id was known: keep the phase and cancel now.
    this.set(modelId, { ...(current ?? { progress: 0 }), jobId: r.value.jobId, phase: current?.phase === 'cancelling' ? 'cancelling' : 'running', knownAt: this.generation });
    const early = this.early.get(r.value.jobId);
    this.early.clear();
    if (early?.progress) this.onProgress(early.progress);
    if (early?.finished) this.onFinished(early.finished);
    else if (current?.phase === 'cancelling') await this.sendCancel(r.value.jobId);
  }

  async cancel(modelId: string): Promise<void> {
    const d = this.running[modelId];
    if (!d || d.phase === 'cancelling') return;
    this.set(modelId, { ...d, phase: 'cancelling' });
    if (d.jobId) await this.sendCancel(d.jobId);
  }

  /** Mark the start of a listModels request; pass the value to reconcile() with its answer. */
  mark(): number {
    return ++this.generation;
  }

  /**
   * Bring the picture in line with a listModels answer asked for at `since`: a download the host
   * runs that we do not follow yet (the page was reloaded) is adopted; one we follow that the host no
   * longer runs, and whose id we knew before that request, has ended while its events were lost (a
   * dropped connection).
   */
  reconcile(models: readonly ModelInfo[], since: number): void {
    for (const m of models) {
      const held = this.running[m.id];
      if (m.downloadJobId && !held) this.set(m.id, { jobId: m.downloadJobId, phase: 'running', progress: 0, knownAt: since });
      else if (held && held.jobId && held.jobId !== m.downloadJobId && held.knownAt < since) {
        this.remove(m.id);
        this.ended({ modelId: m.id, status: m.installed ? 'done' : 'cancelled' });
      }
    }
  }

  private async sendCancel(jobId: string): Promise<void> {
    const r = await this.api.cancelJob({ jobId });
    // Not cancelled: it had ended already; its jobFinished says how.
    if (!r.ok) console.warn(`adstudio: cancelling the download failed: ${r.error.message}`);
  }

  private held(modelId: string): Tracked | undefined {
    return this.running[modelId];
  }

  private modelOf(jobId: string): string | null {
    for (const [id, d] of Object.entries(this.running)) if (d.jobId === jobId) return id;
    return null;
  }

  private waitingForId(): boolean {
    return Object.values(this.running).some((d) => d.jobId === null);
  }

  private onProgress(p: Progress): void {
    const id = this.modelOf(p.jobId);
    if (!id) {
      if (this.waitingForId()) this.early.set(p.jobId, { ...this.early.get(p.jobId), progress: p });
      return;
    }
    const d = this.running[id]!;
    if (p.progress <= d.progress && p.message === d.message) return;
    this.set(id, { ...d, progress: Math.max(d.progress, p.progress), ...(p.message ? { message: p.message } : {}) });
  }

  private onFinished(p: Finished): void {
    const id = this.modelOf(p.jobId);
    if (!id) {
      if (this.waitingForId()) this.early.set(p.jobId, { ...this.early.get(p.jobId), finished: p });
      return;
    }
    this.remove(id);
    this.ended({ modelId: id, status: p.status, ...(p.error ? { error: p.error } : {}) });
  }

  private set(modelId: string, d: Tracked): void {
    this.running = { ...this.running, [modelId]: d };
    this.publish();
  }

  private remove(modelId: string): void {
    const { [modelId]: _gone, ...rest } = this.running;
    this.running = rest;
    this.publish();
  }

  private publish(): void {
    this.snapshot = { running: this.running };
    for (const l of this.listeners) l();
  }

  private ended(end: DownloadEnd): void {
    for (const l of this.endListeners) l(end);
  }
}

const perApi = new WeakMap<DownloadsApi, ModelDownloads>();

/** The one ModelDownloads of a connection (it listens to the events for the page's lifetime). */
export function modelDownloadsFor(api: DownloadsApi): ModelDownloads {
  let d = perApi.get(api);
  if (!d) {
    d = new ModelDownloads(api);
    perApi.set(api, d);
  }
  return d;
}
