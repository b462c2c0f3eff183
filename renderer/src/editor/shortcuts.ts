/**
 * Keyboard shortcut strings ("Mod+Shift+Z", "[", "Ctrl+Y") parsed once and matched against
 * KeyboardEvents. "Mod" is Cmd on macOS and Ctrl elsewhere.
 */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  key: string;
  mod: boolean;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
}

export function parseShortcut(shortcut: string): Parsed {
  const parts = shortcut.split('+');
  // "Mod++" would be odd; shortcuts here never use "+" as the key.
  const key = parts.pop() ?? '';
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { key: key.toLowerCase(), mod: mods.has('mod'), ctrl: mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt') };
}

/** Layout-independent key name: letters/digits from `code` so Korean IME input still matches. */
export function eventKey(e: KeyLike): string {
  if (e.code) {
    const m = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(e.code);
    if (m) return (m[1] ?? m[2] ?? '').toLowerCase();
    if (e.code === 'BracketLeft') return '[';
    if (e.code === 'BracketRight') return ']';
    if (e.code === 'Backslash') return '\\';
    if (e.code === 'Equal') return '=';
    if (e.code === 'Minus') return '-';
  }
  return e.key.toLowerCase();
}

export function matchesShortcut(shortcut: string, e: KeyLike, isMac: boolean): boolean {
  const p = parseShortcut(shortcut);
  if (eventKey(e) !== p.key) return false;
  const wantCtrl = p.ctrl || (p.mod && !isMac);
  const wantMeta = p.mod && isMac;
  return e.ctrlKey === wantCtrl && e.metaKey === wantMeta && e.shiftKey === p.shift && e.altKey === p.alt;
}

/** Human form for tooltips/menus: "Ctrl+Shift+Z" or "⌘⇧Z". */
export function formatShortcut(shortcut: string, isMac: boolean): string {
  const p = parseShortcut(shortcut);
  const key = p.key.length === 1 ? p.key.toUpperCase() : p.key.charAt(0).toUpperCase() + p.key.slice(1);
  if (isMac) {
    return `${p.ctrl ? '⌃' : ''}${p.alt ? '⌥' : ''}${p.shift ? '⇧' : ''}${p.mod ? '⌘' : ''}${key}`;
  }
  const mods = [p.ctrl || p.mod ? 'Ctrl' : '', p.alt ? 'Alt' : '', p.shift ? 'Shift' : ''].filter(Boolean);
  return [...mods, key].join('+');
}

/** Typing in a field must not trigger single-key tool shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'range', 'button', 'color', 'file'].includes(type);
  }
  return false;
}
