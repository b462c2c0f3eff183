import type { MessageKey } from '../../i18n/translate';
import type { Action, ActionState } from '../actions';
import type { Editor } from '../editor';
import type { ZMove } from './z-order';

/** What the ad actions look at (part of ActionState, so menus, toolbar and keys agree). */
export interface AdActionState {
  /** The selected ad layer's kind; null when none (or not an ad document). */
  selected: 'product' | 'text' | null;
  locked: boolean;
  /** A gesture or a text edit is running: keys belong to it. */
  busy: boolean;
  placing: boolean;
  canForward: boolean;
  canBackward: boolean;
}

const NONE: AdActionState = { selected: null, locked: false, busy: false, placing: false, canForward: false, canBackward: false };

export function adActionState(ed: Editor): AdActionState {
  // Partial editors (headless tests of other features) have no ad canvas.
  const ad = (ed as Partial<Pick<Editor, 'ad'>>).ad;
  if (!ad) return NONE;
  const r = ad.selected();
  const st = ad.state.get();
  return {
    selected: r?.type ?? null,
    locked: r?.locked ?? false,
    busy: !!st.gesture || !!st.editingTextId,
    placing: !!st.placing,
    canForward: !!r && ad.canReorder('forward'),
    canBackward: !!r && ad.canReorder('backward'),
  };
}

/** An unlocked ad layer is selected and nothing else owns the keyboard. */
const editable = (s: ActionState, locked = false) => !!s.ad.selected && (locked || !s.ad.locked) && !s.ad.busy && !s.session.dialog;

function zAction(move: ZMove, shortcut: string, labelKey: MessageKey): Action {
  const up = move === 'forward' || move === 'front';
  return {
    id: `ad.${move}`,
    labelKey,
    shortcut: [shortcut],
    enabled: (s) => editable(s) && (up ? s.ad.canForward : s.ad.canBackward),
    perform: (ed) => ed.ad.reorder(move),
  };
}

function nudge(id: string, key: string, dx: number, dy: number, labelKey: MessageKey): Action {
  return { id: `ad.nudge.${id}`, labelKey, shortcut: [key], enabled: (s) => editable(s), perform: (ed) => ed.ad.nudge(dx, dy) };
}

/** Z-order, delete, auto place, edit copy and nudges of the ad canvas. */
export const AD_CANVAS_ACTIONS: readonly Action[] = [
  zAction('forward', 'Mod+]', 'adCanvas.action.forward'),
  zAction('backward', 'Mod+[', 'adCanvas.action.backward'),
  zAction('front', 'Mod+Shift+]', 'adCanvas.action.front'),
  zAction('back', 'Mod+Shift+[', 'adCanvas.action.back'),
  // Delete and Enter also belong to the mask and the compare bar: the ad canvas routes those two
  // keys itself (canvas/ad/use-ad-keys.ts), so the table keeps one action per shortcut.
  { id: 'ad.delete', labelKey: 'adCanvas.action.delete', shortcut: ['Backspace'], enabled: (s) => editable(s, true), perform: (ed) => ed.ad.remove() },
  {
    id: 'ad.autoPlace',
    labelKey: 'adCanvas.action.autoPlace',
    enabled: (s) => editable(s) && s.ad.selected === 'product' && !s.ad.placing,
    perform: (ed) => ed.ad.autoPlaceSelected(),
  },
  { id: 'ad.editText', labelKey: 'adCanvas.action.editText', enabled: (s) => editable(s) && s.ad.selected === 'text', perform: (ed) => ed.ad.startTextEdit() },
  nudge('left', 'ArrowLeft', -1, 0, 'adCanvas.action.nudgeLeft'),
  nudge('right', 'ArrowRight', 1, 0, 'adCanvas.action.nudgeRight'),
  nudge('up', 'ArrowUp', 0, -1, 'adCanvas.action.nudgeUp'),
  nudge('down', 'ArrowDown', 0, 1, 'adCanvas.action.nudgeDown'),
  nudge('left10', 'Shift+ArrowLeft', -10, 0, 'adCanvas.action.nudgeLeft10'),
  nudge('right10', 'Shift+ArrowRight', 10, 0, 'adCanvas.action.nudgeRight10'),
  nudge('up10', 'Shift+ArrowUp', 0, -10, 'adCanvas.action.nudgeUp10'),
  nudge('down10', 'Shift+ArrowDown', 0, 10, 'adCanvas.action.nudgeDown10'),
];
