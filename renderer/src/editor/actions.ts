import { isMessageKey, type MessageKey, type Translate } from '../i18n/translate';
import { AD_CANVAS_ACTIONS, adActionState, type AdActionState } from './ad/ad-actions';
import { canSelectProduct, productSelection, selectProduct } from './ad/product-selection';
import type { Editor } from './editor';
import { clearMask, invertMask, pickMask, exportMask } from './mask-actions';
import { pickImage } from './open-image';
import { openEnginesPanel } from '../panels/engines/open-engines';
import { openProject, save } from './project-io';
import type { SessionState } from './session-state';
import type { TextRegionsSummary } from './text-regions/text-regions';
import type { ToolId } from './tools/tool-types';

/** What `enabled` looks at: a snapshot, so menus and buttons agree. */
export interface ActionState {
  session: SessionState;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  canErase: boolean;
  /** The photo's mask is the product selection (Select product), not text to erase. */
  productMask: boolean;
  canDetect: boolean;
  /** "Select product" can start (a photo, nothing running). */
  canSelectProduct: boolean;
  text: TextRegionsSummary;
  /** The ad canvas' selection (ad documents). */
  ad: AdActionState;
}

export type MenuId = 'file' | 'edit' | 'view' | 'mask';

/**
 * Actions as data (Excalidraw-style): one definition drives the toolbar, the menus and the keyboard.
 * `shortcut` strings use "Mod" for Ctrl (Cmd on macOS).
 */
export interface Action {
  id: string;
  labelKey: MessageKey;
  /** Label that depends on state (undo "Brush stroke"). */
  label?: (state: ActionState, t: Translate) => string;
  shortcut?: string[];
  menu?: MenuId;
  /** Start a new group in its menu. */
  separatorBefore?: boolean;
  enabled(state: ActionState): boolean;
  perform(ed: Editor): void | Promise<void>;
}

/** Partial editors (headless tests of other features) have no store: no selection there. */
function isProductSelection(ed: Editor): boolean {
  return typeof ed.store === 'function' && !!ed.store() && productSelection(ed) !== null;
}

export function actionState(ed: Editor): ActionState {
  const store = ed.store();
  const productMask = isProductSelection(ed);
  return {
    session: ed.session.get(),
    canUndo: store?.canUndo() ?? false,
    canRedo: store?.canRedo() ?? false,
    undoLabel: store?.undoLabel() ?? null,
    redoLabel: store?.redoLabel() ?? null,
    // A product selection is meant for Make ad: erasing with it would erase the product itself.
    canErase: ed.jobs.canErase() && !productMask,
    productMask,
    canDetect: ed.textRegions.canDetect(),
    canSelectProduct: canSelectProduct(ed),
    text: ed.textRegions.summary(),
    ad: adActionState(ed),
  };
}

/** History labels are i18n keys; anything else is shown as is. */
export function historyLabel(label: string | null, t: Translate): string {
  if (!label) return '';
  return isMessageKey(label) ? t(label) : label;
}

const hasDoc = (s: ActionState) => s.session.hasDocument;
const canEditMask = (s: ActionState) => s.session.hasDocument && !s.session.compare && !s.session.maskBusy;
const noDialog = (s: ActionState) => !s.session.dialog;
/** Regions on screen, some enabled, nothing running. */
const canUseText = (s: ActionState) => s.text.enabled > 0 && !s.session.job && !s.session.compare;

function toolAction(tool: ToolId, key: string, labelKey: MessageKey): Action {
  return {
    id: `tool.${tool}`,
    labelKey,
    shortcut: [key],
    enabled: hasDoc,
    perform: (ed) => ed.setTool(tool),
  };
}

export const ACTIONS: readonly Action[] = [
  { id: 'openImage', labelKey: 'action.openImage', shortcut: ['Mod+O'], menu: 'file', enabled: noDialog, perform: (ed) => pickImage(ed) },
  { id: 'openProject', labelKey: 'action.openProject', shortcut: ['Mod+Shift+O'], menu: 'file', enabled: noDialog, perform: (ed) => openProject(ed) },
  { id: 'save', labelKey: 'action.save', shortcut: ['Mod+S'], menu: 'file', separatorBefore: true, enabled: (s) => hasDoc(s) && !s.session.saving, perform: (ed) => save(ed) },
  { id: 'saveAs', labelKey: 'action.saveAs', shortcut: ['Mod+Shift+S'], menu: 'file', enabled: (s) => hasDoc(s) && !s.session.saving, perform: (ed) => save(ed, { saveAs: true }) },
  {
    id: 'export',
    labelKey: 'action.export',
    shortcut: ['Mod+Shift+E'],
    menu: 'file',
    separatorBefore: true,
    enabled: hasDoc,
    perform: (ed) => ed.session.set({ dialog: { kind: 'export' } }),
  },
  { id: 'close', labelKey: 'action.closeDocument', menu: 'file', enabled: hasDoc, perform: (ed) => ed.guardUnsaved(() => ed.closeDocument()) },
  {
    id: 'settings',
    labelKey: 'action.settings',
    shortcut: ['Mod+,'],
    menu: 'file',
    separatorBefore: true,
    enabled: () => true,
    perform: (ed) => ed.session.set({ dialog: { kind: 'settings' } }),
  },

  {
    id: 'undo',
    labelKey: 'action.undo',
    label: (s, t) => (s.undoLabel ? t('action.undoWith', { label: historyLabel(s.undoLabel, t) }) : t('action.undo')),
    shortcut: ['Mod+Z'],
    menu: 'edit',
    enabled: (s) => s.canUndo && !s.session.job,
    perform: (ed) => ed.undo(),
  },
  {
    id: 'redo',
    labelKey: 'action.redo',
    label: (s, t) => (s.redoLabel ? t('action.redoWith', { label: historyLabel(s.redoLabel, t) }) : t('action.redo')),
    shortcut: ['Mod+Shift+Z', 'Ctrl+Y'],
    menu: 'edit',
    enabled: (s) => s.canRedo && !s.session.job,
    perform: (ed) => ed.redo(),
  },
  {
    id: 'erase',
    labelKey: 'action.erase',
    shortcut: ['Mod+Enter'],
    menu: 'edit',
    separatorBefore: true,
    enabled: (s) => s.canErase,
    perform: (ed) => ed.jobs.start(),
  },

  {
    id: 'eraseText',
    labelKey: 'action.eraseText',
    shortcut: ['Mod+Shift+Enter'],
    menu: 'edit',
    enabled: (s) => canUseText(s) && s.session.connection === 'connected',
    perform: (ed) => ed.textRegions.eraseAll(),
  },

  { id: 'detectText', labelKey: 'action.detectText', shortcut: ['Shift+T'], menu: 'mask', enabled: (s) => s.canDetect, perform: (ed) => ed.textRegions.detect() },
  {
    id: 'addTextMask',
    labelKey: 'action.addTextMask',
    menu: 'mask',
    enabled: (s) => canUseText(s) && !s.session.maskBusy,
    perform: (ed) => ed.textRegions.addToMask(),
  },
  { id: 'ad.selectProduct', labelKey: 'ad.select', menu: 'mask', enabled: (s) => s.canSelectProduct, perform: (ed) => void selectProduct(ed) },
  { id: 'mask.invert', labelKey: 'mask.invert', separatorBefore: true, shortcut: ['Mod+I'], menu: 'mask', enabled: canEditMask, perform: (ed) => invertMask(ed) },
  {
    id: 'mask.clear',
    labelKey: 'mask.clear',
    shortcut: ['Delete'],
    menu: 'mask',
    enabled: (s) => canEditMask(s) && !s.session.maskEmpty,
    perform: (ed) => clearMask(ed),
  },
  { id: 'mask.import', labelKey: 'mask.import', menu: 'mask', separatorBefore: true, enabled: canEditMask, perform: (ed) => pickMask(ed) },
  { id: 'mask.export', labelKey: 'mask.export', menu: 'mask', enabled: (s) => hasDoc(s) && !s.session.maskEmpty, perform: (ed) => exportMask(ed) },

  { id: 'zoomFit', labelKey: 'action.zoomFit', shortcut: ['Mod+0'], menu: 'view', enabled: hasDoc, perform: (ed) => ed.fit() },
  { id: 'zoom100', labelKey: 'action.zoom100', shortcut: ['Mod+1'], menu: 'view', enabled: hasDoc, perform: (ed) => ed.zoomTo(1) },
  { id: 'zoomIn', labelKey: 'action.zoomIn', shortcut: ['Mod+=', 'Mod+Shift+='], menu: 'view', separatorBefore: true, enabled: hasDoc, perform: (ed) => ed.zoomIn() },
  { id: 'zoomOut', labelKey: 'action.zoomOut', shortcut: ['Mod+-'], menu: 'view', enabled: hasDoc, perform: (ed) => ed.zoomOut() },
  { id: 'engines', labelKey: 'engines.menu', menu: 'view', separatorBefore: true, enabled: () => true, perform: () => openEnginesPanel() },

  toolAction('brush', 'B', 'tool.brush'),
  toolAction('eraser', 'E', 'tool.eraser'),
  toolAction('rect', 'M', 'tool.rect'),
  toolAction('lasso', 'L', 'tool.lasso'),
  toolAction('hand', 'H', 'tool.hand'),
  { id: 'brushBigger', labelKey: 'action.brushBigger', shortcut: [']'], enabled: hasDoc, perform: (ed) => ed.stepBrushSize(1) },
  { id: 'brushSmaller', labelKey: 'action.brushSmaller', shortcut: ['['], enabled: hasDoc, perform: (ed) => ed.stepBrushSize(-1) },
  { id: 'cancel', labelKey: 'action.cancelStroke', shortcut: ['Escape'], enabled: hasDoc, perform: (ed) => void ed.cancelGesture() },
  {
    id: 'compare.accept',
    labelKey: 'compare.accept',
    shortcut: ['Enter'],
    enabled: (s) => !!s.session.compare && noDialog(s),
    perform: (ed) => ed.jobs.accept(),
  },
  ...AD_CANVAS_ACTIONS,
];

const byId = new Map(ACTIONS.map((a) => [a.id, a]));

export function getAction(id: string): Action {
  const a = byId.get(id);
  if (!a) throw new Error(`unknown action "${id}"`);
  return a;
}

export function actionLabel(action: Action, state: ActionState, t: Translate): string {
  return action.label ? action.label(state, t) : t(action.labelKey);
}
