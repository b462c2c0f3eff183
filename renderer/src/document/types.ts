import type { DocRecord, DocumentJson } from '../../../preload/contract/document';

/**
 * The renderer's document model (DESIGN.md §5): records + patches, history of patches with marks.
 * This file is the interface shared by the document model and the UI; keep it stable.
 */
export type { DocRecord, DocumentJson };

/** Document-level fields (everything but records). */
export type DocumentMeta = Omit<DocumentJson, 'records'>;

/** What one transaction changed. Undo applies the inverse; no command writes its own inverse. */
export interface Patch {
  added: Record<string, DocRecord>;
  updated: Record<string, [from: DocRecord, to: DocRecord]>;
  removed: Record<string, DocRecord>;
  meta?: [from: DocumentMeta, to: DocumentMeta];
}

/** Mutable view handed to a transaction callback; changes are recorded as a Patch. */
export interface Draft {
  get(id: string): DocRecord | undefined;
  all(): DocRecord[];
  put(record: DocRecord): void; // add or replace
  update<R extends DocRecord>(id: string, fn: (r: R) => R): void;
  remove(id: string): void;
  meta(): DocumentMeta;
  setMeta(fn: (m: DocumentMeta) => DocumentMeta): void;
}

export interface HistoryEntry {
  label: string;
  patch: Patch;
}

export type MarkId = string;

export interface DocumentStore {
  document(): DocumentJson;
  /** Records sorted by z (bottom first). */
  records(): DocRecord[];
  subscribe(listener: (doc: DocumentJson, patch: Patch | null) => void): () => void;

  /** Apply changes as one undo step (or as part of the open mark). Returns null if nothing changed. */
  transact(label: string, fn: (draft: Draft) => void): Patch | null;
  /** Start a gesture (drag, stroke): later transactions merge into one step at squash(). */
  mark(label: string): MarkId;
  /** End the gesture: everything since the mark becomes one undo step. */
  squash(mark: MarkId): void;
  /** Cancel the gesture (Escape): roll back everything since the mark, leave no history. */
  bail(mark: MarkId): void;

  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Labels for menus: "Undo Brush stroke". */
  undoLabel(): string | null;
  redoLabel(): string | null;

  /** Replace the whole document (open/recover/new); clears history. */
  load(doc: DocumentJson): void;
  /** Changed since the last markSaved()/load()? */
  isDirty(): boolean;
  markSaved(): void;
  /** Asset hashes referenced by the document or by any history entry (never evict these). */
  liveAssets(): Set<string>;

  /**
   * Called after anything that can change canUndo/canRedo/labels/isDirty (transactions, undo, redo,
   * squash, bail, load, markSaved). Unlike subscribe() it does not carry a patch: use it for menus
   * and the "unsaved" dot, not for redrawing.
   */
  subscribeHistory(listener: () => void): () => void;
  /** Labels for a history panel: undo oldest→newest, redo next→last, gestures still open. */
  history(): HistorySummary;
}

export interface HistorySummary {
  undo: string[];
  redo: string[];
  openMarks: string[];
}
