import type { AdstudioApi } from '../../../preload/contract/api';
import type { AppErrorShape } from '../../../preload/contract/errors';
import { createId } from './records';
import type { DocumentStore } from './types';

export interface AutosaverOptions {
  store: Pick<DocumentStore, 'document' | 'isDirty' | 'subscribe'>;
  api: Pick<AdstudioApi, 'autosave'>;
  /** This editor session (newSessionId()); recovery lists sessions by it. */
  sessionId: string;
  /** Where the project is saved, or null if never saved. */
  getPath: () => string | null;
  /** Minimum time between two writes (settings.autosaveSeconds * 1000). */
  intervalMs: number;
  /** Wait at least this long after a change before writing, so a burst of edits is one write (default 1000). */
  settleMs?: number;
  /** Autosave failures land here (e.g. a toast); they are never thrown into the UI. Default: console.warn. */
  onError?: (error: AppErrorShape) => void;
  onSaved?: (savedAt: string) => void;
}

export interface Autosaver {
  /** Write now (after waiting for a write in flight). Use after save (dirty=false) and before quit. Never rejects. */
  flush(): Promise<void>;
  /** Stop listening and cancel a scheduled write (a write in flight completes). */
  stop(): void;
  /** Change the interval (settings changed); applies to the next scheduled write. */
  setIntervalMs(ms: number): void;
  /** Is there a change not yet written? */
  hasPendingChanges(): boolean;
  lastSavedAt(): string | null;
}

/** A session id for autosave/recovery (8–64 chars as the contract requires). */
export function newSessionId(): string {
  return `session-${createId()}`;
}

/**
 * Crash-safe copies of the working document: after a change, write once at least `intervalMs` has
 * passed since the previous write (and `settleMs` since the change), never two writes at once, and
 * retry a failed write at the next interval. The document carries the time of the last edit as
 * modifiedAt.
 */
export function createAutosaver(options: AutosaverOptions): Autosaver {
  const { store, api, sessionId, getPath } = options;
  const settleMs = Math.max(0, options.settleMs ?? 1000);
  const onError = options.onError ?? ((e: AppErrorShape) => console.warn(`autosave failed: ${e.message}`));
  let intervalMs = Math.max(0, options.intervalMs);

  let changed = false;
  let lastChangeAt: string | null = null;
  let lastWriteAt = -Infinity;
  let savedAt: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const unsubscribe = store.subscribe((_doc, patch) => {
    changed = true;
    // patch null = load(): the document was replaced, not edited.
    if (patch) lastChangeAt = new Date().toISOString();
    schedule();
  });

  function schedule(): void {
    if (stopped || timer !== null || inFlight) return;
    const delay = Math.max(settleMs, lastWriteAt + intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = null;
      if (changed && !stopped) void write();
    }, delay);
  }

  function write(): Promise<void> {
    changed = false;
    const doc = store.document();
    const document = lastChangeAt ? { ...doc, modifiedAt: lastChangeAt } : doc;
    const request = { sessionId, document, path: getPath(), dirty: store.isDirty() };
    const job = (async () => {
      try {
        const result = await api.autosave(request);
        if (result.ok) {
          savedAt = result.value.savedAt;
          options.onSaved?.(savedAt);
        } else {
          changed = true; // retry at the next interval
          onError(result.error);
        }
      } catch (err) {
        changed = true;
        onError({ code: 'internal', message: err instanceof Error ? err.message : String(err) });
      } finally {
        lastWriteAt = Date.now();
        inFlight = null;
        if (changed) schedule();
      }
    })();
    inFlight = job;
    return job;
  }

  return {
    async flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      while (inFlight) await inFlight;
      await write();
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    setIntervalMs(ms: number) {
      intervalMs = Math.max(0, ms);
    },
    hasPendingChanges: () => changed,
    lastSavedAt: () => savedAt,
  };
}
