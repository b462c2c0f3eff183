import { describe, expect, it } from 'vitest';
import type { Editor } from '../../../../renderer/src/editor/editor';
import { handleShortcut } from '../../../../renderer/src/editor/keyboard';
import { initialSession } from '../../../../renderer/src/editor/session-state';
import { createStateStore } from '../../../../renderer/src/editor/state-store';

/** Just enough of an Editor for the shortcut dispatcher: records what the actions asked for. */
function fakeEditor(hasDocument: boolean, text: { canDetect?: boolean; enabled?: number } = {}) {
  const calls: string[] = [];
  const session = createStateStore({ ...initialSession(), hasDocument });
  const enabled = text.enabled ?? 0;
  const ed = {
    textRegions: {
      canDetect: () => hasDocument && !!text.canDetect && !session.get().job,
      summary: () => ({ visible: enabled > 0, total: enabled, enabled }),
      detect: () => calls.push('detect'),
      eraseAll: () => calls.push('eraseText'),
    },
    session,
    isMac: false,
    store: () => null,
    jobs: { canErase: () => false, start: () => calls.push('erase') },
    setTool: (t: string) => calls.push(`tool:${t}`),
    stepBrushSize: (d: number) => calls.push(`size:${d}`),
    fit: () => calls.push('fit'),
    zoomTo: (z: number) => calls.push(`zoom:${z}`),
    cancelGesture: () => calls.push('cancel'),
  } as unknown as Editor;
  return { ed, calls, session };
}

function keyEvent(key: string, code: string, opts: { ctrl?: boolean; shift?: boolean; target?: unknown; composing?: boolean } = {}) {
  let prevented = false;
  const e = {
    key,
    code,
    ctrlKey: !!opts.ctrl,
    metaKey: false,
    shiftKey: !!opts.shift,
    altKey: false,
    isComposing: !!opts.composing,
    target: opts.target ?? { tagName: 'BODY', isContentEditable: false },
    preventDefault: () => (prevented = true),
  } as unknown as KeyboardEvent;
  return { e, prevented: () => prevented };
}

describe('keyboard shortcuts from the action table', () => {
  it('tool keys, brush size keys and view keys reach the editor', () => {
    const { ed, calls } = fakeEditor(true);
    for (const [k, c] of [
      ['e', 'KeyE'],
      ['l', 'KeyL'],
      [']', 'BracketRight'],
      ['[', 'BracketLeft'],
    ] as const)
      expect(handleShortcut(ed, keyEvent(k, c).e)).toBe(true);
    handleShortcut(ed, keyEvent('0', 'Digit0', { ctrl: true }).e);
    handleShortcut(ed, keyEvent('1', 'Digit1', { ctrl: true }).e);
    handleShortcut(ed, keyEvent('Escape', 'Escape').e);
    expect(calls).toEqual(['tool:eraser', 'tool:lasso', 'size:1', 'size:-1', 'fit', 'zoom:1', 'cancel']);
  });

  it('typing in a text field never switches tools', () => {
    const { ed, calls } = fakeEditor(true);
    const input = { tagName: 'INPUT', type: 'text', isContentEditable: false };
    expect(handleShortcut(ed, keyEvent('e', 'KeyE', { target: input }).e)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('a composing Korean IME and an open dialog get the keys for themselves', () => {
    const { ed, calls, session } = fakeEditor(true);
    expect(handleShortcut(ed, keyEvent('ㄷ', 'KeyE', { composing: true }).e)).toBe(false);
    session.set({ dialog: { kind: 'settings' } });
    expect(handleShortcut(ed, keyEvent('e', 'KeyE').e)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('Ctrl+S is swallowed even when saving is not possible (no browser "Save page")', () => {
    const { ed, calls } = fakeEditor(false);
    const ev = keyEvent('s', 'KeyS', { ctrl: true });
    expect(handleShortcut(ed, ev.e)).toBe(true);
    expect(ev.prevented()).toBe(true);
    expect(calls).toEqual([]);
  });

  it('erase by keyboard only when erasing is possible', () => {
    const { ed, calls } = fakeEditor(true);
    handleShortcut(ed, keyEvent('Enter', 'Enter', { ctrl: true }).e);
    expect(calls).toEqual([]);
  });

  it('Shift+T detects text when possible; a second press while it runs does nothing', () => {
    const { ed, calls, session } = fakeEditor(true, { canDetect: true });
    expect(handleShortcut(ed, keyEvent('T', 'KeyT', { shift: true }).e)).toBe(true);
    // Plain T is not the shortcut (kept free for a text tool).
    expect(handleShortcut(ed, keyEvent('t', 'KeyT').e)).toBe(false);
    session.set({ job: { kind: 'detect', jobId: 'j', phase: 'running', progress: 0.2 } });
    handleShortcut(ed, keyEvent('T', 'KeyT', { shift: true }).e);
    expect(calls).toEqual(['detect']);
    // Korean layout: Shift+T types "ㅆ" but is the same key.
    session.set({ job: null });
    handleShortcut(ed, keyEvent('ㅆ', 'KeyT', { shift: true }).e);
    expect(calls).toEqual(['detect', 'detect']);
  });

  it('Ctrl+Shift+Enter erases all text only while enabled regions are proposed', () => {
    const none = fakeEditor(true);
    handleShortcut(none.ed, keyEvent('Enter', 'Enter', { ctrl: true, shift: true }).e);
    expect(none.calls).toEqual([]);
    const some = fakeEditor(true, { enabled: 3 });
    handleShortcut(some.ed, keyEvent('Enter', 'Enter', { ctrl: true, shift: true }).e);
    expect(some.calls).toEqual(['eraseText']);
  });
});
