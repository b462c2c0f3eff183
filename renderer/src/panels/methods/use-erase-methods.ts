import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useEditor, useSession, useSettings } from '../../app/editor-context';
import type { Editor } from '../../editor/editor';
import { methodName, methodRows, type MethodInfo, type MethodRow, type ModelInfo } from './methods-model';
import { modelDownloadsFor, type DownloadEnd, type ModelDownloads } from './model-downloads';

export interface EraseMethods {
  /** null while the first lists load. */
  rows: MethodRow[] | null;
  /** Why the lists could not be read, if they could not. */
  failure: string | null;
  select(methodId: string): void;
  download(modelId: string): void;
  cancel(modelId: string): void;
}

const noticesInstalled = new WeakSet<Editor>();

/** Tell the user how each download ended, once per download, whether or not the panel is on screen. */
function installNotices(ed: Editor, downloads: ModelDownloads): void {
  if (noticesInstalled.has(ed)) return;
  noticesInstalled.add(ed);
  ed.listen(
    downloads.onEnd((end: DownloadEnd) => {
      const name = methodName(end.modelId);
      if (end.status === 'done') ed.notify('success', 'methods.downloadDone', { name });
      else if (end.status === 'cancelled') ed.notify('info', 'methods.downloadCancelled', { name });
      else ed.notify('error', 'methods.downloadFailed', { name }, end.error?.message, end.error?.code ?? 'io');
    }),
  );
}

/**
 * The erase method menu's live model: listInpaintMethods + listModels (again after a reconnect and
 * whenever a download ends), the chosen method from the settings, and the running downloads.
 */
export function useEraseMethods(): EraseMethods {
  const ed = useEditor();
  const settings = useSettings();
  const connected = useSession((s) => s.connection === 'connected');
  const downloads = modelDownloadsFor(ed.api);
  const running = useSyncExternalStore(downloads.subscribe, downloads.get).running;
  const [methods, setMethods] = useState<MethodInfo[] | null>(null);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const alive = useRef(true);
  installNotices(ed, downloads);

  const refresh = useCallback(() => {
    const since = downloads.mark();
    void Promise.all([ed.api.listInpaintMethods(), ed.api.listModels()]).then(([m, list]) => {
      if (!alive.current) return;
      if (m.ok) setMethods(m.value);
      else setMethods((held) => held ?? []);
      if (list.ok) {
        setModels(list.value);
        downloads.reconcile(list.value, since);
      }
      setFailure(!m.ok ? m.error.message : !list.ok ? list.error.message : null);
    });
  }, [ed, downloads]);

  useEffect(() => {
    alive.current = true;
    const off = downloads.onEnd(() => refresh());
    return () => {
      alive.current = false;
      off();
    };
  }, [downloads, refresh]);

  // First load, and again after a reconnect: events sent while disconnected are lost.
  useEffect(() => {
    if (connected) refresh();
  }, [connected, refresh]);

  const select = useCallback((methodId: string) => void ed.updateSettings({ inpaintMethod: methodId }), [ed]);
  const download = useCallback((modelId: string) => void downloads.start(modelId), [downloads]);
  const cancel = useCallback((modelId: string) => void downloads.cancel(modelId), [downloads]);

  const rows = methods ? methodRows(methods, models, settings.inpaintMethod, running) : null;
  return { rows, failure, select, download, cancel };
}
