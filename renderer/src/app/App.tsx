import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Editor } from '../editor/editor';
import { I18nProvider, useT } from '../i18n/i18n-context';
import { resolveLanguage } from '../i18n/translate';
import { boot, BootError, systemLocale, type BootFailure } from './boot';
import { EditorContext } from './editor-context';
import { EditorShell } from './EditorShell';
import { installTestHook } from './test-hook';

type BootState = { kind: 'loading' } | { kind: 'failed'; reason: BootFailure; detail: string } | { kind: 'ready'; editor: Editor };

/** Boot (connect, load settings) → the editor, or a clear "cannot connect" screen that retries. */
export function App() {
  const [state, setState] = useState<BootState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    let unsubscribe: (() => void) | undefined;
    boot().then(
      (editor) => {
        if (!live) return editor.dispose();
        installTestHook(editor);
        setState({ kind: 'ready', editor });
      },
      (err: unknown) => {
        if (!live) return;
        const e = err instanceof BootError ? err : new BootError('error', String(err), null);
        setState({ kind: 'failed', reason: e.reason, detail: e.message });
        // The bridge keeps reconnecting by itself: boot again as soon as it is through.
        unsubscribe = e.platform?.connection?.subscribe((s) => {
          if (s.state === 'open') setAttempt((n) => n + 1);
        });
      },
    );
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [attempt]);

  if (state.kind === 'ready') return <Ready editor={state.editor} />;
  return (
    <I18nProvider lang={resolveLanguage('system', systemLocale(null))}>
      {state.kind === 'loading' ? <Loading /> : <CannotConnect reason={state.reason} detail={state.detail} onRetry={() => setAttempt((n) => n + 1)} />}
    </I18nProvider>
  );
}

function Ready({ editor }: { editor: Editor }) {
  const settings = useSyncExternalStore(editor.settings.subscribe, editor.settings.get);
  const lang = resolveLanguage(settings.language, systemLocale(editor));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <EditorContext.Provider value={editor}>
      <I18nProvider lang={lang}>
        <EditorShell />
      </I18nProvider>
    </EditorContext.Provider>
  );
}

function Loading() {
  const t = useT();
  return (
    <div className="center-state" data-testid="app-loading">
      <div className="box">
        <span className="spinner" />
        <p>{t('app.loading')}</p>
      </div>
    </div>
  );
}

function CannotConnect({ reason, detail, onRetry }: { reason: BootFailure; detail: string; onRetry: () => void }) {
  const t = useT();
  return (
    <div className="center-state" data-testid="cannot-connect">
      <div className="box">
        <h1>{t('app.cannotConnect')}</h1>
        <p>{reason === 'unauthorized' ? t('error.unauthorized') : t('app.cannotConnectHint')}</p>
        <p className="field-hint">{detail}</p>
        <button type="button" className="btn primary" onClick={onRetry} data-testid="retry-connect">
          {t('app.retry')}
        </button>
      </div>
    </div>
  );
}
