import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../renderer/src/editor/actions';
import { eventKey, formatShortcut, isTypingTarget, matchesShortcut, parseShortcut } from '../../../../renderer/src/editor/shortcuts';

const key = (k: string, code: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key: k,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('shortcuts', () => {
  it('Mod is Ctrl on Windows/Linux and Cmd on macOS', () => {
    expect(matchesShortcut('Mod+Z', key('z', 'KeyZ', { ctrl: true }), false)).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', 'KeyZ', { meta: true }), false)).toBe(false);
    expect(matchesShortcut('Mod+Z', key('z', 'KeyZ', { meta: true }), true)).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', 'KeyZ', { ctrl: true }), true)).toBe(false);
  });

  it('modifiers must match exactly (redo is not undo)', () => {
    const redo = key('Z', 'KeyZ', { ctrl: true, shift: true });
    expect(matchesShortcut('Mod+Z', redo, false)).toBe(false);
    expect(matchesShortcut('Mod+Shift+Z', redo, false)).toBe(true);
    expect(matchesShortcut('Ctrl+Y', key('y', 'KeyY', { ctrl: true }), false)).toBe(true);
  });

  it('matches by physical key, so a Korean keyboard layout still works', () => {
    // With the 2-set Hangul layout active, Ctrl+Z reports key "ㅋ".
    expect(matchesShortcut('Mod+Z', key('ㅋ', 'KeyZ', { ctrl: true }), false)).toBe(true);
    expect(matchesShortcut('B', key('ㅠ', 'KeyB'), false)).toBe(true);
    expect(eventKey(key('[', 'BracketLeft'))).toBe('[');
    expect(eventKey(key('Escape', 'Escape'))).toBe('escape');
    expect(matchesShortcut('Mod+0', key('0', 'Digit0', { ctrl: true }), false)).toBe(true);
  });

  it('formats shortcuts for tooltips per platform', () => {
    expect(formatShortcut('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⇧⌘Z');
    expect(formatShortcut('[', false)).toBe('[');
    expect(parseShortcut('Mod+,').key).toBe(',');
  });

  it('no two actions share a shortcut', () => {
    const seen = new Map<string, string>();
    for (const a of ACTIONS) {
      for (const sc of a.shortcut ?? []) {
        const norm = sc.toLowerCase();
        expect(seen.get(norm), `${sc} used by ${seen.get(norm)} and ${a.id}`).toBeUndefined();
        seen.set(norm, a.id);
      }
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('single-key shortcuts stay out of text fields', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text', isContentEditable: false } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'range', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
