import { useEffect, useState } from 'react';

/*
 * The Engines panel opens from the status bar and the View menu without a slot in the session state
 * (kept separate from the editor's dialog machinery): a window event both entry points share.
 */
const OPEN_EVENT = 'adstudio:open-engines';

export function openEnginesPanel(): void {
  window.dispatchEvent(new Event(OPEN_EVENT));
}

export function useEnginesPanelOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onOpen = () => setOpen(true);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_EVENT, onOpen);
  }, []);
  return [open, setOpen];
}
