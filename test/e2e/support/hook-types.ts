/**
 * The shape of `window.__adstudioTest` (renderer/src/app/test-hook.ts) as far as the end-to-end
 * tests read it. Declared structurally here because the real types live in DOM-typed renderer code
 * that the Node-side typecheck does not compile. Used only inside page.evaluate callbacks.
 */
export interface ImageRecordLike {
  id: string;
  name: string;
  props: { asset: string; width: number; height: number; madeBy: string };
}

export interface MaskRecordLike {
  id: string;
  props: { asset: string | null; width: number; height: number };
}

export interface DocumentLike {
  id: string;
  version: number;
  title: string;
  width: number;
  height: number;
  records: Record<string, ImageRecordLike | MaskRecordLike>;
}

export interface StoreLike {
  document(): DocumentLike;
  history(): { undo: string[]; redo: string[]; openMarks: string[] };
  isDirty(): boolean;
}

export interface JobLike {
  jobId: string | null;
  phase: 'starting' | 'running' | 'cancelling';
  progress: number;
}

export interface SessionLike {
  hasDocument: boolean;
  tool: string;
  brushSize: number;
  brushHardness: number;
  viewport: { zoom: number; x: number; y: number };
  maskEmpty: boolean;
  maskBusy: boolean;
  compare: { before: string; after: string; split: number } | null;
  job: JobLike | null;
  projectPath: string | null;
  dialog: { kind: string } | null;
  notices: { id: number; kind: string; title: string; code?: string; detail?: string }[];
  lastAutosave: string | null;
  connection: string;
  loading: boolean;
}

export interface EditorLike {
  session: { get(): SessionLike; set(patch: Partial<SessionLike>): void; subscribe(listener: () => void): () => void };
  settings: { get(): { language: string; autosaveSeconds: number; inpaintMethod: string } };
  image(): ImageRecordLike | undefined;
  maskRecord(): MaskRecordLike | undefined;
  isDirty(): boolean;
  mask: { idle(): Promise<void>; surface(): unknown; live: { data: Uint8Array; width: number; height: number } | null };
  /** whenUploaded: newer builds upload assets in the background. */
  assets: { peekImage(hash: string): unknown; whenUploaded?(): Promise<void> };
  updateSettings(patch: Record<string, unknown>): Promise<void>;
  flushAutosave(): Promise<void>;
}

export interface TestHook {
  readonly store: StoreLike | null;
  getZoom(): number;
  readonly editor: EditorLike;
  /** Newer builds: resolves when mask commits reached history and background uploads reached the host. */
  settle?(): Promise<void>;
}

/** `globalThis` in the page, with the hook the page installs under `?test=1`. */
export type HookGlobal = typeof globalThis & { __adstudioTest?: TestHook; __e2eJobLog?: JobLike[] };

/** The little of the DOM the recorders use (the Node-side typecheck has no DOM library). */
interface ElementLike {
  getAttribute(name: string): string | null;
}
export interface DomGlobal {
  document: { body: unknown; querySelector(selector: string): ElementLike | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, unknown>): void };
  __e2eProgressShown?: number[];
}
