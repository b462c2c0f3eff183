import type { AppInfo, Settings } from '../../../preload/contract/channels';
import type { AdstudioApi } from '../../../preload/contract/api';
import { referencedAssets } from '../../../preload/contract/document';
import { createAssetCache, type AssetCache, type UploadFailure } from '../assets/asset-cache';
import { createAutosaver, newSessionId, type Autosaver } from '../document/autosave';
import { imageRecordOf, maskRecordOf, type ImageRecord, type MaskRecord } from '../document/records';
import { createDocumentStore } from '../document/store';
import type { DocumentJson, DocumentStore } from '../document/types';
import type { MessageKey, Vars } from '../i18n/translate';
import type { Platform } from '../platform/types';
import { AdCanvas } from './ad/ad-canvas';
import { EraseJobs } from './erase-job';
import { toErrorShape, unwrap } from './errors';
import { HostJobs } from './host-jobs';
import { MaskEditor } from './mask-editor';
import { initialSession, nextBrushSize, type Notice, type SessionState, BRUSH_MAX, BRUSH_MIN } from './session-state';
import { createStateStore, type StateStore } from './state-store';
import { TextRegions } from './text-regions/text-regions';
import { createTools } from './tools/create-tools';
import type { Tool, ToolEnv, ToolId } from './tools/tool-types';
import { centred, clampZoom, fitViewport, zoomAround, ZOOM_STEP } from './viewport';

/** Every asset hash the document's records point at. */
export const documentAssets: (doc: DocumentJson) => string[] = referencedAssets;

/** Hooks the mounted views register so actions can reach them. */
export interface EditorUi {
  pickFile: (kind: 'image' | 'mask') => void;
  /**
   * The ad canvas (while an ad is shown): draws the ad at full resolution — width×height of the
   * document, the same Konva scene as on screen without selection or guides — once every image and
   * font it uses is loaded. null when no ad canvas is mounted.
   */
  renderAd: (() => Promise<HTMLCanvasElement>) | null;
}

/** Decoded-pixel budget for the asset cache (images 4 B/px, masks 1 B/px). */
const ASSET_CACHE_BYTES = 768 * 1024 * 1024;
/** Waiting for uploads shorter than this shows nothing (no flicker). */
const UPLOAD_WAIT_NOTICE_MS = 300;

export interface OpenOptions {
  path?: string | null;
  /** Continue an autosave session (recovery) instead of starting a new one. */
  sessionId?: string;
  recovered?: boolean;
}

/**
 * The editor controller: the open document (store + live mask + autosave), session state, settings
 * and the host API. Features (open, save, erase, mask actions…) are functions over it in their own
 * files; React components only read its stores and call those functions.
 */
export class Editor {
  readonly api: AdstudioApi;
  readonly assets: AssetCache;
  readonly session: StateStore<SessionState> = createStateStore(initialSession());
  readonly settings: StateStore<Settings>;
  /** Pointer position in image pixels (own store: it changes on every mouse move). */
  readonly pointer: StateStore<{ x: number; y: number; inside: boolean }> = createStateStore<{ x: number; y: number; inside: boolean }>({ x: 0, y: 0, inside: false });
  readonly mask: MaskEditor;
  readonly tools: Partial<Record<ToolId, Tool>>;
  readonly isMac: boolean;
  /** The one running host job (erase or text detection): progress, cancel, events. */
  readonly hostJobs: HostJobs;
  readonly jobs: EraseJobs;
  /** "Detect text" and the proposed text regions. */
  readonly textRegions: TextRegions;
  /** The ad canvas: selection, gestures and edits of ad layers (documents of kind "ad"). */
  readonly ad: AdCanvas;
  /** Hooks the React shell registers (hidden file inputs). */
  readonly ui: EditorUi = { pickFile: (_kind: 'image' | 'mask'): void => {}, renderAd: null };

  private docStore: DocumentStore | null = null;
  private autosaver: Autosaver | null = null;
  private sessionId: string | null = null;
  private unsubscribeDoc: (() => void) | null = null;
  private docListeners = new Set<() => void>();
  private noticeSeq = 0;
  private docSerial = 0;
  private settingsPending: Partial<Settings> = {};
  private settingsBefore: Settings | null = null;
  private settingsTimer: ReturnType<typeof setTimeout> | null = null;
  private disposers: (() => void)[] = [];

  constructor(
    readonly platform: Platform,
    readonly appInfo: AppInfo,
    settings: Settings,
  ) {
    this.api = platform.api;
    this.settings = createStateStore(settings);
    this.isMac = /mac/i.test(appInfo.platform) || /Mac/.test(navigator.platform);
    this.assets = createAssetCache({
      platform,
      maxBytes: ASSET_CACHE_BYTES,
      pinned: () => this.pinnedAssets(),
      onEvictImage: (img) => img.close(),
      onUploadFailed: (failure) => this.onUploadFailed(failure),
    });
    this.disposers.push(this.assets.onUploads(() => this.session.set({ uploads: this.assets.uploads() })));
    this.mask = new MaskEditor({
      assets: this.assets,
      store: () => this.docStore,
      appearance: () => ({ color: this.settings.get().maskColor, opacity: this.settings.get().maskOpacity }),
      onError: (err) => this.fail('error.maskFailed', err),
      onState: (patch) => this.session.set(patch),
    });
    const env: ToolEnv = {
      surface: () => (this.session.get().compare ? null : this.mask.surface()),
      brush: () => ({ size: this.session.get().brushSize, hardness: this.session.get().brushHardness }),
      shapeMode: () => this.session.get().shapeMode,
      preview: (p) => this.session.set({ preview: p }),
    };
    this.tools = createTools(env);
    this.disposers.push(
      this.settings.subscribe(() => {
        this.mask.refreshAppearance();
        this.autosaver?.setIntervalMs(this.settings.get().autosaveSeconds * 1000);
      }),
    );
    const conn = platform.connection;
    if (conn) {
      const apply = () => {
        const state = conn.current().state;
        const was = this.session.get().connection;
        this.session.set({ connection: state === 'unauthorized' ? 'unauthorized' : state === 'reconnecting' ? 'reconnecting' : 'connected' });
        // Uploads that failed while the link was down go again as soon as it is back.
        if (state === 'open' && was !== 'connected') this.assets.retryUploads();
      };
      apply();
      this.disposers.push(conn.subscribe(apply));
    }
    this.hostJobs = new HostJobs(this);
    this.jobs = new EraseJobs(this);
    this.textRegions = new TextRegions(this);
    this.ad = new AdCanvas(this);
  }

  // ---- document ----

  store(): DocumentStore | null {
    return this.docStore;
  }

  document(): DocumentJson | null {
    return this.docStore?.document() ?? null;
  }

  image(): ImageRecord | undefined {
    const doc = this.document();
    return doc ? imageRecordOf(doc) : undefined;
  }

  maskRecord(): MaskRecord | undefined {
    const doc = this.document();
    const img = doc ? imageRecordOf(doc) : undefined;
    return doc && img ? maskRecordOf(doc, img.id) : undefined;
  }

  /** Notified when a document is opened/closed or changes (for React hooks). */
  onDocument(listener: () => void): () => void {
    this.docListeners.add(listener);
    return () => this.docListeners.delete(listener);
  }

  /** Replace the open document (new image, opened project, recovery). */
  openDocument(doc: DocumentJson, opts: OpenOptions = {}): void {
    const previousSession = this.sessionId;
    const wasDirty = this.isDirty();
    this.teardownDocument();
    // The work we are leaving was either saved or knowingly discarded: no recovery offer for it.
    if (previousSession && previousSession !== opts.sessionId && wasDirty) void this.api.discardRecovery({ sessionId: previousSession });

    const store = createDocumentStore(doc);
    this.docStore = store;
    this.sessionId = opts.sessionId ?? newSessionId();
    const unsubs = [
      store.subscribe(() => this.onStoreChange()),
      store.subscribeHistory(() => this.emitDoc()),
    ];
    this.unsubscribeDoc = () => unsubs.forEach((u) => u());
    const img = imageRecordOf(doc);
    const view = this.session.get().viewSize;
    this.session.set((s) => ({
      docSerial: s.docSerial + 1,
      hasDocument: true,
      projectPath: opts.path ?? null,
      recoveredUnsaved: opts.recovered ?? false,
      selectedId: this.maskRecord()?.id ?? img?.id ?? null,
      compare: null,
      preview: null,
      dialog: null,
      lastAutosave: null,
      // Proposed text regions belong to the image they were found in.
      textRegions: null,
      textHover: null,
      // Errors about what came before (a file that would not open) no longer apply.
      notices: s.notices.filter((n) => n.kind !== 'error'),
      viewport: img ? fitViewport({ width: img.props.width, height: img.props.height }, view) : s.viewport,
    }));
    this.mask.sync(this.maskRecord());
    this.autosaver = createAutosaver({
      store,
      // A crash copy must only name assets the host has: wait for background uploads first.
      api: {
        autosave: async (req) => {
          try {
            await this.assets.whenUploaded(documentAssets(req.document));
          } catch (err) {
            return { ok: false, error: toErrorShape(err) };
          }
          return this.api.autosave(req);
        },
      },
      sessionId: this.sessionId,
      getPath: () => this.session.get().projectPath,
      intervalMs: this.settings.get().autosaveSeconds * 1000,
      onSaved: (at) => this.session.set({ lastAutosave: at }),
    });
    // A recovered session is unsaved work: keep its autosave fresh from the start.
    if (opts.recovered) void this.autosaver.flush();
    this.emitDoc();
  }

  /** Close the document (welcome screen). */
  closeDocument(): void {
    const sessionId = this.sessionId;
    const dirty = this.isDirty();
    this.teardownDocument();
    if (sessionId && dirty) void this.api.discardRecovery({ sessionId });
    this.sessionId = null;
    this.session.set({ hasDocument: false, projectPath: null, compare: null, recoveredUnsaved: false, preview: null });
    this.emitDoc();
  }

  isDirty(): boolean {
    return !!this.docStore && (this.docStore.isDirty() || this.session.get().recoveredUnsaved);
  }

  /** The saved state was written: clean history, fresh autosave marked not dirty. */
  async markSaved(path: string): Promise<void> {
    this.docStore?.markSaved();
    this.session.set({ projectPath: path, recoveredUnsaved: false });
    await this.autosaver?.flush();
    this.emitDoc();
  }

  /** Name for title bar and dialogs: the project file name, else the document title. */
  displayName(): string {
    const path = this.session.get().projectPath;
    if (path) {
      const base = path.split(/[\\/]/).pop() ?? path;
      return base.replace(/\.adstudio$/i, '');
    }
    return this.document()?.title ?? '';
  }

  /** Ask before replacing unsaved work; `proceed` runs right away when there is none. */
  guardUnsaved(proceed: () => void): void {
    if (!this.isDirty()) {
      proceed();
      return;
    }
    this.session.set({ dialog: { kind: 'confirm-discard', name: this.displayName(), proceed } });
  }

  private teardownDocument(): void {
    this.cancelGesture();
    this.textRegions.reset();
    this.ad.reset();
    this.unsubscribeDoc?.();
    this.unsubscribeDoc = null;
    this.autosaver?.stop();
    this.autosaver = null;
    this.docStore = null;
    this.mask.reset();
  }

  private onStoreChange(): void {
    this.mask.sync(this.maskRecord());
    const cmp = this.session.get().compare;
    // Undo/redo moved the image away from the erase result: the comparison no longer applies.
    if (cmp && this.image()?.props.asset !== cmp.after) this.session.set({ compare: null });
    this.emitDoc();
  }

  /** Increases on every document change (React snapshot). */
  docVersion(): number {
    return this.docSerial;
  }

  private emitDoc(): void {
    this.docSerial++;
    for (const l of [...this.docListeners]) l();
  }

  private pinnedAssets(): Set<string> {
    const out = new Set<string>();
    const img = this.image();
    if (img) out.add(img.props.asset);
    const m = this.maskRecord();
    if (m?.props.asset) out.add(m.props.asset);
    const cmp = this.session.get().compare;
    if (cmp) out.add(cmp.before).add(cmp.after);
    for (const h of this.ad.pinned()) out.add(h);
    return out;
  }

  // ---- background uploads ----

  /**
   * Resolves when the host has every asset the open document uses (opened images and painted masks
   * go up in the background); actions that hand the document to the host call this first. Shows
   * "sending…" if it takes noticeably long. Rejects with the host's reason if it refused one.
   */
  async waitForUploads(): Promise<void> {
    const doc = this.document();
    if (!doc) return;
    const hashes = documentAssets(doc);
    const timer = setTimeout(() => this.session.set({ waitingForUploads: true }), UPLOAD_WAIT_NOTICE_MS);
    try {
      await this.assets.whenUploaded(hashes);
    } finally {
      clearTimeout(timer);
      this.session.set({ waitingForUploads: false });
    }
  }

  /** The host refused an asset for good: an image we show cannot be worked on (close it, say why). */
  private onUploadFailed(failure: UploadFailure): void {
    const store = this.docStore;
    if (!store || !store.liveAssets().has(failure.hash)) return; // not ours any more
    if (failure.kind === 'image') {
      this.closeDocument();
      this.fail('error.openFailed', failure.error);
    } else {
      this.fail('error.maskFailed', failure.error);
    }
  }

  // ---- history ----

  /** Active gesture cancelled (Escape); true if there was one. */
  cancelGesture(): boolean {
    let any = false;
    for (const tool of Object.values(this.tools)) if (tool?.cancel()) any = true;
    if (this.ad.cancel()) any = true;
    return any;
  }

  async undo(): Promise<void> {
    this.cancelGesture();
    await this.mask.idle();
    this.docStore?.undo();
  }

  async redo(): Promise<void> {
    this.cancelGesture();
    await this.mask.idle();
    this.docStore?.redo();
  }

  // ---- tools & view ----

  setTool(tool: ToolId): void {
    if (this.session.get().tool === tool) return;
    this.cancelGesture();
    this.session.set({ tool, preview: null });
  }

  setBrushSize(size: number): void {
    this.session.set({ brushSize: Math.round(Math.max(BRUSH_MIN, Math.min(BRUSH_MAX, size))) });
  }

  stepBrushSize(direction: 1 | -1): void {
    this.setBrushSize(nextBrushSize(this.session.get().brushSize, direction));
  }

  setBrushHardness(hardness: number): void {
    this.session.set({ brushHardness: Math.max(0, Math.min(1, hardness)) });
  }

  /** What the view fits: the photo, or for an ad (no image record) the ad canvas. */
  private viewedSize(): { width: number; height: number } | null {
    const img = this.image();
    if (img) return { width: img.props.width, height: img.props.height };
    const doc = this.document();
    return doc ? { width: doc.width, height: doc.height } : null;
  }

  fit(): void {
    const size = this.viewedSize();
    if (!size) return;
    this.session.set({ viewport: fitViewport(size, this.session.get().viewSize) });
  }

  zoomTo(zoom: number): void {
    const size = this.viewedSize();
    if (!size) return;
    this.session.set({ viewport: centred(size, this.session.get().viewSize, clampZoom(zoom)) });
  }

  /** Zoom by a factor around the view centre (buttons, keyboard). */
  zoomBy(factor: number): void {
    const { viewport, viewSize } = this.session.get();
    this.session.set({ viewport: zoomAround(viewport, viewport.zoom * factor, { x: viewSize.width / 2, y: viewSize.height / 2 }) });
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  // ---- settings ----

  /**
   * Apply at once (sliders must feel instant) and persist shortly after: a dragged slider sends
   * one update, not fifty.
   */
  updateSettings(patch: Partial<Settings>): Promise<void> {
    if (!this.settingsBefore) this.settingsBefore = this.settings.get();
    this.settings.set(patch);
    this.settingsPending = { ...this.settingsPending, ...patch };
    if (this.settingsTimer) clearTimeout(this.settingsTimer);
    return new Promise((resolve) => {
      this.settingsTimer = setTimeout(() => {
        this.settingsTimer = null;
        void this.persistSettings().then(resolve);
      }, 250);
    });
  }

  private async persistSettings(): Promise<void> {
    const patch = this.settingsPending;
    const before = this.settingsBefore;
    this.settingsPending = {};
    this.settingsBefore = null;
    try {
      const saved = unwrap(await this.api.updateSettings(patch));
      // Newer local changes (typed meanwhile) win over the echo.
      this.settings.set({ ...saved, ...this.settingsPending });
    } catch (err) {
      if (before) this.settings.set(before);
      this.fail('error.settingsFailed', err);
    }
  }

  // ---- notices ----

  notify(kind: Notice['kind'], title: MessageKey, vars?: Vars, detail?: string, code?: string): void {
    const id = ++this.noticeSeq;
    const notice: Notice = { id, kind, title, ...(vars ? { vars } : {}), ...(detail ? { detail } : {}), ...(code ? { code } : {}) };
    this.session.set((s) => ({ notices: [...s.notices.slice(-3), notice] }));
    if (kind !== 'error') setTimeout(() => this.dismiss(id), 4000);
  }

  dismiss(id: number): void {
    this.session.set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  }

  /** Show a failure as "what failed" + the reason (cancellations are not errors). */
  fail(title: MessageKey, err: unknown): void {
    const e = toErrorShape(err);
    if (e.code === 'cancelled') return;
    console.warn(`adstudio: ${title}: [${e.code}] ${e.message}`);
    this.notify('error', title, undefined, e.message, e.code);
  }

  /** Run an async operation, turning a failure into a notice. */
  async attempt(title: MessageKey, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.fail(title, err);
    }
  }

  /** Listen to host events for the editor's lifetime. */
  listen(dispose: () => void): void {
    this.disposers.push(dispose);
  }

  dispose(): void {
    this.teardownDocument();
    for (const d of this.disposers.splice(0)) d();
  }

  /** Write the autosave now (page hide, before quitting). */
  flushAutosave(): Promise<void> {
    return this.autosaver?.flush() ?? Promise.resolve();
  }
}
