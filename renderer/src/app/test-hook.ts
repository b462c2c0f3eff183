import type { DocumentStore } from '../document/types';
import type { Editor } from '../editor/editor';

export interface AdstudioTestHook {
  /** The open document's store (null on the welcome screen). */
  readonly store: DocumentStore | null;
  getZoom(): number;
  readonly editor: Editor;
}

declare global {
  interface Window {
    __adstudioTest?: AdstudioTestHook;
  }
}

/** End-to-end tests read state through this, and only when the page was opened with ?test=1. */
export function installTestHook(ed: Editor): void {
  if (new URLSearchParams(location.search).get('test') !== '1') return;
  window.__adstudioTest = {
    get store() {
      return ed.store();
    },
    getZoom: () => ed.session.get().viewport.zoom,
    editor: ed,
  };
}
