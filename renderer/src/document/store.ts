import { sortByZ, TransactionDraft } from './draft';
import { addPatchAssets, addRecordAssets, applyPatch, composePatches, deepFreeze, emptyPatch, invertPatch, isEmptyPatch } from './patch';
import type { DocRecord, DocumentJson, DocumentStore, Draft, HistoryEntry, MarkId, Patch } from './types';

export interface DocumentStoreOptions {
  /** Oldest undo steps beyond this are dropped (default 200). */
  historyLimit?: number;
  /** Deep-freeze records and documents so accidental mutation throws (default: on in dev builds). */
  freeze?: boolean;
}

interface Entry extends HistoryEntry {
  /** Identifies the document state *after* this entry; isDirty compares these. */
  readonly state: number;
}

interface OpenMark {
  readonly id: MarkId;
  readonly label: string;
  patch: Patch;
}

const DEFAULT_HISTORY_LIMIT = 200;
// Vite replaces import.meta.env at build time; under plain node (tsx scripts) it is undefined.
const IS_DEV: boolean = import.meta.env?.DEV ?? true;

/**
 * Records + patches + history with marks (DESIGN.md §5, tldraw-style). Every change goes through
 * transact(); undo applies the inverse of the stored patch. Gestures: mark() on pointer-down,
 * transactions while dragging (applied and broadcast immediately), squash() on pointer-up makes them
 * one undo step, bail() on Escape rolls them back and leaves no trace.
 */
export function createDocumentStore(initial: DocumentJson, options: DocumentStoreOptions = {}): DocumentStore {
  const historyLimit = Math.max(1, Math.floor(options.historyLimit ?? DEFAULT_HISTORY_LIMIT));
  const freeze = options.freeze ?? IS_DEV;

  let doc: DocumentJson = own(initial);
  let sorted: DocRecord[] | null = null;
  let undoStack: Entry[] = [];
  let redoStack: Entry[] = [];
  const marks: OpenMark[] = [];
  let stateSeq = 0;
  /** State id at the bottom of the undo stack (after load, or after the oldest dropped entry). */
  let baseState = ++stateSeq;
  let savedState = baseState;
  let markSeq = 0;
  let inTransaction = false;

  const listeners = new Set<(doc: DocumentJson, patch: Patch | null) => void>();
  const historyListeners = new Set<() => void>();

  function own(d: DocumentJson): DocumentJson {
    return freeze ? deepFreeze(d) : d;
  }

  function currentState(): number {
    return undoStack.at(-1)?.state ?? baseState;
  }

  function setDoc(next: DocumentJson, patch: Patch | null): void {
    doc = own(next);
    sorted = null;
    for (const l of [...listeners]) safeCall(() => l(doc, patch));
  }

  function historyChanged(): void {
    for (const l of [...historyListeners]) safeCall(l);
  }

  function pushEntry(label: string, patch: Patch): void {
    undoStack.push({ label, patch, state: ++stateSeq });
    if (undoStack.length > historyLimit) {
      const dropped = undoStack.splice(0, undoStack.length - historyLimit);
      baseState = dropped.at(-1)!.state;
    }
    redoStack = [];
  }

  /** Fold marks[index..] into one patch and remove them from the stack. */
  function popMarksFrom(index: number): Patch {
    let merged = emptyPatch();
    for (const m of marks.slice(index)) merged = composePatches(merged, m.patch);
    marks.length = index;
    return merged;
  }

  function squashAt(index: number): void {
    const label = marks[index]!.label;
    const merged = popMarksFrom(index);
    if (isEmptyPatch(merged)) return;
    const outer = marks.at(-1);
    if (outer) outer.patch = composePatches(outer.patch, merged);
    else pushEntry(label, merged);
  }

  function closeAllMarks(): void {
    if (marks.length > 0) squashAt(0);
  }

  const store: DocumentStore = {
    document: () => doc,

    records() {
      sorted ??= Object.freeze(sortByZ(Object.values(doc.records))) as DocRecord[];
      return sorted;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    subscribeHistory(listener) {
      historyListeners.add(listener);
      return () => historyListeners.delete(listener);
    },

    transact(label: string, fn: (draft: Draft) => void): Patch | null {
      if (inTransaction) throw new Error(`transact("${label}") inside another transaction; use the outer draft`);
      const draft = new TransactionDraft(doc, freeze);
      inTransaction = true;
      let patch: Patch;
      try {
        fn(draft);
        patch = draft.finish();
      } catch (err) {
        draft.discard();
        throw err;
      } finally {
        inTransaction = false;
      }
      if (isEmptyPatch(patch)) return null;
      const open = marks.at(-1);
      if (open) open.patch = composePatches(open.patch, patch);
      else pushEntry(label, patch);
      setDoc(applyPatch(doc, patch), patch);
      historyChanged();
      return patch;
    },

    mark(label: string): MarkId {
      const id = `mark-${++markSeq}`;
      marks.push({ id, label, patch: emptyPatch() });
      return id;
    },

    squash(mark: MarkId): void {
      // Unknown ids are ignored: a pointer-up after Escape already bailed this gesture.
      const index = marks.findIndex((m) => m.id === mark);
      if (index < 0) return;
      squashAt(index);
      historyChanged();
    },

    bail(mark: MarkId): void {
      const index = marks.findIndex((m) => m.id === mark);
      if (index < 0) return;
      const merged = popMarksFrom(index);
      if (!isEmptyPatch(merged)) {
        const inverse = invertPatch(merged);
        setDoc(applyPatch(doc, inverse), inverse);
      }
      historyChanged();
    },

    undo(): boolean {
      // An open gesture becomes a step first, so undo never leaves it half-applied.
      closeAllMarks();
      const entry = undoStack.pop();
      if (!entry) return false;
      redoStack.push(entry);
      const inverse = invertPatch(entry.patch);
      setDoc(applyPatch(doc, inverse), inverse);
      historyChanged();
      return true;
    },

    redo(): boolean {
      closeAllMarks();
      const entry = redoStack.pop();
      if (!entry) return false;
      undoStack.push(entry);
      setDoc(applyPatch(doc, entry.patch), entry.patch);
      historyChanged();
      return true;
    },

    canUndo: () => undoStack.length > 0 || marks.some((m) => !isEmptyPatch(m.patch)),
    canRedo: () => redoStack.length > 0,
    undoLabel: () => marks.find((m) => !isEmptyPatch(m.patch))?.label ?? undoStack.at(-1)?.label ?? null,
    redoLabel: () => redoStack.at(-1)?.label ?? null,

    load(next: DocumentJson): void {
      marks.length = 0;
      undoStack = [];
      redoStack = [];
      baseState = ++stateSeq;
      savedState = baseState;
      setDoc(next, null);
      historyChanged();
    },

    isDirty(): boolean {
      if (marks.some((m) => !isEmptyPatch(m.patch))) return true;
      return currentState() !== savedState;
    },

    markSaved(): void {
      savedState = currentState();
      historyChanged();
    },

    liveAssets(): Set<string> {
      const out = new Set<string>();
      for (const r of Object.values(doc.records)) addRecordAssets(r, out);
      for (const e of undoStack) addPatchAssets(e.patch, out);
      for (const e of redoStack) addPatchAssets(e.patch, out);
      for (const m of marks) addPatchAssets(m.patch, out);
      return out;
    },

    history: () => ({
      undo: undoStack.map((e) => e.label),
      redo: redoStack.map((e) => e.label).reverse(),
      openMarks: marks.map((m) => m.label),
    }),
  };
  return store;
}

/** A listener that throws must not stop the others or corrupt the store. */
function safeCall(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('document store listener failed', err);
  }
}
