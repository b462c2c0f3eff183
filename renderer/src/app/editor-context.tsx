import { createContext, useCallback, useContext, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Settings } from '../../../preload/contract/channels';
import { actionState, type ActionState } from '../editor/actions';
import type { Editor } from '../editor/editor';
import type { SessionState } from '../editor/session-state';

export const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor {
  const ed = useContext(EditorContext);
  if (!ed) throw new Error('useEditor outside <EditorContext.Provider>');
  return ed;
}

/** Subscribe to one slice of session state (select primitives or stable objects). */
export function useSession<T>(select: (s: SessionState) => T): T {
  const ed = useEditor();
  return useSyncExternalStore(ed.session.subscribe, () => select(ed.session.get()));
}

export function useSettings(): Settings {
  const ed = useEditor();
  return useSyncExternalStore(ed.settings.subscribe, ed.settings.get);
}

/** Re-render on every document or history change; returns a version number. */
export function useDocVersion(): number {
  const ed = useEditor();
  const subscribe = useCallback((l: () => void) => ed.onDocument(l), [ed]);
  return useSyncExternalStore(subscribe, () => ed.docVersion());
}

/** Session fields that never affect whether an action is enabled (they change on every pan/move). */
const VOLATILE = new Set<keyof SessionState>(['viewport', 'viewSize', 'preview', 'notices', 'lastAutosave', 'textHover']);

/** Snapshot for action `enabled`/labels, recomputed when session or document change. */
export function useActionState(): ActionState {
  const ed = useEditor();
  const last = useRef<SessionState | null>(null);
  // Keep the previous snapshot while only volatile fields moved: menus and buttons do not re-render while panning.
  const getSession = () => {
    const s = ed.session.get();
    const prev = last.current;
    if (prev && (Object.keys(s) as (keyof SessionState)[]).every((k) => VOLATILE.has(k) || Object.is(prev[k], s[k]))) return prev;
    last.current = s;
    return s;
  };
  const session = useSyncExternalStore(ed.session.subscribe, getSession);
  const version = useDocVersion();
  // `session` and `version` are the inputs actionState reads through `ed`.
  return useMemo(() => actionState(ed), [ed, session, version]);
}
