import { stampModified } from '../document/records';
import type { Editor } from './editor';
import { unwrap } from './errors';
import type { RecoverableSession } from './session-state';

/** File name typed in the browser-mode save dialog → a safe project name (no folders, no extension). */
export function cleanProjectName(input: string): string {
  return input
    .trim()
    .replace(/\.adstudio$/i, '')
    .replace(/[\\/:*?"<>|]/g, ' ')
    // Control characters never belong in a file name.
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

/** Save (Ctrl+S): to the known path, else ask where (native dialog, or the in-app name dialog). */
export async function save(ed: Editor, opts: { saveAs?: boolean; then?: () => void } = {}): Promise<void> {
  const store = ed.store();
  if (!store) return;
  const path = ed.session.get().projectPath;
  if (ed.platform.mode === 'browser' && (opts.saveAs || !path)) {
    ed.session.set({ dialog: { kind: 'save', ...(opts.then ? { then: opts.then } : {}) } });
    return;
  }
  const saved = await write(ed, { ...(path && !opts.saveAs ? { path } : {}), ...(opts.saveAs ? { saveAs: true } : {}) });
  if (saved) opts.then?.();
}

/** The browser-mode save dialog confirmed a name (inside the server's projects folder). */
export async function saveWithName(ed: Editor, name: string): Promise<boolean> {
  return write(ed, { name: cleanProjectName(name) });
}

async function write(ed: Editor, target: { path?: string; saveAs?: boolean; name?: string }): Promise<boolean> {
  let ok = false;
  ed.session.set({ saving: true });
  await ed.attempt('error.saveFailed', async () => {
    await ed.mask.idle(); // the last stroke belongs in the file
    await ed.waitForUploads(); // the file is written from the host's copies
    const store = ed.store();
    if (!store) return;
    const result = unwrap(await ed.api.saveProject({ document: stampModified(store.document()), ...target }));
    if (!result) return; // dialog cancelled
    await ed.markSaved(result.path);
    ed.notify('success', 'save.done', { name: ed.displayName() });
    ok = true;
  });
  ed.session.set({ saving: false });
  return ok;
}

/** Open project: native dialog in Electron, the in-app list in a browser. */
export function openProject(ed: Editor): void {
  if (ed.platform.mode === 'browser') {
    ed.session.set({ dialog: { kind: 'open-project' } });
    return;
  }
  ed.guardUnsaved(() => void openProjectAt(ed));
}

/** Open a project file (a path from the list/recent projects; none = native dialog). */
export async function openProjectAt(ed: Editor, path?: string): Promise<void> {
  ed.session.set({ loading: true });
  await ed.attempt('error.projectFailed', async () => {
    const payload = unwrap(await ed.api.openProject(path ? { path } : {}));
    if (!payload) return;
    ed.openDocument(payload.document, { path: payload.path });
  });
  ed.session.set({ loading: false });
}

/** On start: offer unsaved work from a crash or kill. */
export async function checkRecovery(ed: Editor): Promise<void> {
  const result = await ed.api.listRecoverable();
  if (!result.ok || result.value.length === 0) return;
  const sessions: RecoverableSession[] = [...result.value].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  if (!ed.session.get().dialog) ed.session.set({ dialog: { kind: 'recover', sessions } });
}

export async function recoverSession(ed: Editor, sessionId: string): Promise<void> {
  ed.session.set({ loading: true });
  await ed.attempt('error.recoverFailed', async () => {
    const rec = unwrap(await ed.api.recoverSession({ sessionId }));
    ed.openDocument(rec.document, { path: rec.path, sessionId, recovered: true });
    ed.notify('info', 'recover.done');
  });
  ed.session.set({ loading: false });
}

export async function discardRecovery(ed: Editor, sessionId: string): Promise<void> {
  await ed.attempt('error.recoverFailed', async () => {
    unwrap(await ed.api.discardRecovery({ sessionId }));
  });
}
