import { actionLabel, getAction, type ActionState } from '../editor/actions';
import { formatShortcut } from '../editor/shortcuts';
import { useT } from '../i18n/i18n-context';
import { useActionState, useEditor } from './editor-context';

export interface BoundAction {
  label: string;
  shortcut: string | undefined;
  enabled: boolean;
  perform: () => void;
  state: ActionState;
}

/** An action from the table, bound to the editor, with its current label/shortcut/enabled. */
export function useAction(id: string): BoundAction {
  const ed = useEditor();
  const t = useT();
  const state = useActionState();
  const action = getAction(id);
  const first = action.shortcut?.[0];
  return {
    label: actionLabel(action, state, t),
    shortcut: first ? formatShortcut(first, ed.isMac) : undefined,
    enabled: action.enabled(state),
    perform: () => void action.perform(ed),
    state,
  };
}
