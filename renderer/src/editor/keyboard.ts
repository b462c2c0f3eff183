import { ACTIONS, actionState } from './actions';
import type { Editor } from './editor';
import { matchesShortcut, isTypingTarget, parseShortcut } from './shortcuts';

/** Keys that text fields need for themselves even with Ctrl/Cmd. */
const FIELD_KEYS = new Set(['z', 'y', 'a', 'c', 'v', 'x']);

/**
 * Global shortcuts from the action table. Returns true when the event was an action (handled or
 * intentionally swallowed, e.g. Ctrl+S while saving must not open the browser's "Save page").
 */
export function handleShortcut(ed: Editor, e: KeyboardEvent): boolean {
  if (e.isComposing) return false; // Korean IME is composing a syllable
  const state = actionState(ed);
  if (state.session.dialog) return false; // dialogs own the keyboard
  const typing = isTypingTarget(e.target);
  for (const action of ACTIONS) {
    for (const sc of action.shortcut ?? []) {
      if (!matchesShortcut(sc, e, ed.isMac)) continue;
      const p = parseShortcut(sc);
      const withMod = p.mod || p.ctrl;
      if (typing && (!withMod || FIELD_KEYS.has(p.key))) return false;
      // Enter on a focused button means that button, not a global action.
      if (p.key === 'enter' && !withMod && isControl(e.target)) return false;
      if (withMod) e.preventDefault();
      if (!action.enabled(state)) return withMod;
      e.preventDefault();
      void action.perform(ed);
      return true;
    }
  }
  return false;
}

function isControl(target: EventTarget | null): boolean {
  const tag = (target as HTMLElement | null)?.tagName;
  return tag === 'BUTTON' || tag === 'A' || tag === 'SELECT';
}
