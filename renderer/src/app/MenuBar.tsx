import { Fragment, useEffect, useRef, useState } from 'react';
import { ACTIONS, actionLabel, type MenuId } from '../editor/actions';
import { formatShortcut } from '../editor/shortcuts';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/translate';
import { useActionState, useEditor } from './editor-context';

const MENUS: { id: MenuId; label: MessageKey }[] = [
  { id: 'file', label: 'menu.file' },
  { id: 'edit', label: 'menu.edit' },
  { id: 'mask', label: 'menu.mask' },
  { id: 'view', label: 'menu.view' },
];

/** File / Edit / Mask / View menus, generated from the action table. */
export function MenuBar() {
  const ed = useEditor();
  const t = useT();
  const state = useActionState();
  const [open, setOpen] = useState<MenuId | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(null);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(null);
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <nav className="menubar" ref={root}>
      {MENUS.map((menu) => (
        <div className="menu-root" key={menu.id}>
          <button
            type="button"
            className={`menu-trigger${open === menu.id ? ' open' : ''}`}
            aria-haspopup="menu"
            aria-expanded={open === menu.id}
            onClick={() => setOpen(open === menu.id ? null : menu.id)}
            onMouseEnter={() => open && setOpen(menu.id)}
            data-testid={`menu-${menu.id}`}
          >
            {t(menu.label)}
          </button>
          {open === menu.id ? (
            <div className="menu-popup" role="menu">
              {ACTIONS.filter((a) => a.menu === menu.id).map((a, i) => (
                <Fragment key={a.id}>
                  {a.separatorBefore && i > 0 ? <div className="menu-sep" role="separator" /> : null}
                  <button
                    type="button"
                    role="menuitem"
                    className="menu-item"
                    disabled={!a.enabled(state)}
                    data-testid={`menuitem-${a.id}`}
                    onClick={() => {
                      setOpen(null);
                      void a.perform(ed);
                    }}
                  >
                    <span>{actionLabel(a, state, t)}</span>
                    {a.shortcut?.[0] ? <span className="shortcut">{formatShortcut(a.shortcut[0], ed.isMac)}</span> : null}
                  </button>
                </Fragment>
              ))}
            </div>
          ) : null}
        </div>
      ))}
    </nav>
  );
}
