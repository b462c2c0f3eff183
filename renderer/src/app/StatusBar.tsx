import { useSyncExternalStore } from 'react';
import { zoomPercent } from '../editor/viewport';
import { useLang, useT } from '../i18n/i18n-context';
import { EnginesButton } from '../panels/engines/EnginesButton';
import { useDocVersion, useEditor, useSession } from './editor-context';
import { formatMegabytes } from './UploadToast';

/** Bottom bar: image size, zoom, pointer position, engine/connection status. */
export function StatusBar() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const hasDocument = useSession((s) => s.hasDocument);
  const zoom = useSession((s) => zoomPercent(s.viewport));
  const img = ed.image();
  return (
    <footer className="statusbar" data-testid="status-bar">
      {hasDocument && img ? (
        <>
          <span data-testid="status-size">{t('status.size', { w: img.props.width, h: img.props.height })}</span>
          <span data-testid="zoom-percent">
            {t('status.zoom')} {zoom}%
          </span>
          <PointerReadout />
        </>
      ) : null}
      <span className="spacer" />
      <SaveStatus />
      <EngineStatus />
      <EnginesButton />
      <span>{ed.platform.mode === 'browser' ? t('status.modeBrowser') : t('status.modeElectron')}</span>
      <span>v{ed.appInfo.version}</span>
    </footer>
  );
}

function PointerReadout() {
  const ed = useEditor();
  const t = useT();
  const p = useSyncExternalStore(ed.pointer.subscribe, ed.pointer.get);
  return <span data-testid="status-cursor">{p.inside ? t('status.cursor', { x: Math.floor(p.x), y: Math.floor(p.y) }) : ''}</span>;
}

function SaveStatus() {
  const t = useT();
  const lang = useLang();
  const saving = useSession((s) => s.saving);
  const at = useSession((s) => s.lastAutosave);
  const uploads = useSession((s) => s.uploads);
  if (saving) return <span>{t('status.saving')}</span>;
  if (uploads.count > 0) return <span data-testid="upload-status">{t('status.uploading', { size: formatMegabytes(uploads.bytes) })}</span>;
  if (!at) return null;
  const time = new Date(at).toLocaleTimeString(lang === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit' });
  return <span data-testid="autosave-status">{t('status.autosaved', { time })}</span>;
}

function EngineStatus() {
  const t = useT();
  const connection = useSession((s) => s.connection);
  const job = useSession((s) => s.job);
  if (connection !== 'connected') {
    return (
      <span data-testid="engine-status">
        <span className="status-dot off" />
        {t('status.disconnected')}
      </span>
    );
  }
  return (
    <span data-testid="engine-status">
      <span className={`status-dot${job ? ' busy' : ''}`} />
      {job ? t('status.engineBusy', { pct: Math.round(job.progress * 100) }) : t('status.engineReady')}
    </span>
  );
}
