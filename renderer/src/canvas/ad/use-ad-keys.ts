import { useEffect } from 'react';
import { actionState, getAction } from '../../editor/actions';
import type { Editor } from '../../editor/editor';
import { isTypingTarget } from '../../editor/shortcuts';

/** Plain keys the ad canvas takes while it is shown: they mean something else on a photo. */
const KEYS: Record<string, string> = { Delete: 'ad.delete', Enter: 'ad.editText' };

/**
 * Delete removes the selected layer and Enter edits the selected copy. They are routed here (window,
 * capture phase: before the global shortcuts) instead of the action table, where Delete clears the
 * mask and Enter accepts an erase.
 */
export function useAdKeys(ed: Editor): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = KEYS[e.key];
      if (!id || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey || e.isComposing || isTypingTarget(e.target)) return;
      if (e.key === 'Enter' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      const action = getAction(id);
      if (!action.enabled(actionState(ed))) return;
      e.preventDefault();
      e.stopPropagation();
      void action.perform(ed);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [ed]);
}
