import { Download, FolderOpen, ImagePlus, Redo2, Save, ScanText, Settings, Sparkles, Undo2 } from 'lucide-react';
import { IconButton } from '../components/IconButton';
import { isAdDocument } from '../document/ad-records';
import { Tooltip } from '../components/Tooltip';
import { useT } from '../i18n/i18n-context';
import { MakeAdButton } from '../panels/ad/MakeAdButton';
import { SelectProductButton } from '../panels/ad/SelectProductButton';
import { JobsButton } from '../panels/jobs/JobsButton';
import { useDocVersion, useEditor, useSession } from './editor-context';
import { MenuBar } from './MenuBar';
import { useAction } from './use-action';

/** Top bar: brand, menus, history, document title with the unsaved dot, file actions, Erase. */
export function TopBar() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const hasDocument = useSession((s) => s.hasDocument);
  useSession((s) => s.recoveredUnsaved);
  const undo = useAction('undo');
  const redo = useAction('redo');
  const openImage = useAction('openImage');
  const openProject = useAction('openProject');
  const save = useAction('save');
  const exportImg = useAction('export');
  const settings = useAction('settings');
  const dirty = ed.isDirty();
  const isAd = isAdDocument(ed.document());
  const name = ed.displayName() || t('app.untitled');

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">
          <Sparkles size={13} strokeWidth={2.4} />
        </span>
        {t('app.name')}
      </div>
      <MenuBar />
      {hasDocument ? (
        <>
          <div className="topbar-divider" />
          <div className="topbar-group">
            <IconButton icon={Undo2} label={undo.label} shortcut={undo.shortcut} disabled={!undo.enabled} disabledReason={t('action.nothingToUndo')} onClick={undo.perform} testId="undo" />
            <IconButton icon={Redo2} label={redo.label} shortcut={redo.shortcut} disabled={!redo.enabled} disabledReason={t('action.nothingToRedo')} onClick={redo.perform} testId="redo" />
          </div>
        </>
      ) : null}
      <div className="topbar-title" data-testid="document-title">
        {hasDocument ? (
          <>
            <strong>{name}</strong>
            {dirty ? <span className="dirty-dot" title={t('app.unsavedDot')} aria-label={t('app.unsavedDot')} data-testid="dirty-dot" /> : null}
          </>
        ) : null}
      </div>
      <div className="topbar-group">
        <IconButton icon={ImagePlus} label={openImage.label} shortcut={openImage.shortcut} onClick={openImage.perform} disabled={!openImage.enabled} testId="open-image" />
        <IconButton icon={FolderOpen} label={openProject.label} shortcut={openProject.shortcut} onClick={openProject.perform} disabled={!openProject.enabled} testId="open-project" />
        {hasDocument ? (
          <>
            <IconButton icon={Save} label={save.label} shortcut={save.shortcut} onClick={save.perform} disabled={!save.enabled} testId="save" />
            <IconButton icon={Download} label={exportImg.label} shortcut={exportImg.shortcut} onClick={exportImg.perform} disabled={!exportImg.enabled} testId="export" placement="bottom-end" />
          </>
        ) : null}
        <JobsButton />
        <IconButton icon={Settings} label={settings.label} shortcut={settings.shortcut} onClick={settings.perform} testId="settings" placement="bottom-end" />
      </div>
      {hasDocument ? (
        <>
          <div className="topbar-divider" />
          <SelectProductButton />
          <MakeAdButton />
          {/* Text detection and erase work on a photo; an ad's copy is its own text layers. */}
          {isAd ? null : (
            <>
              <DetectTextButton />
              <EraseButton />
            </>
          )}
        </>
      ) : null}
    </header>
  );
}

function DetectTextButton() {
  const t = useT();
  const detect = useAction('detectText');
  const s = detect.state.session;
  const reason = s.job ? t('action.detectTextBusy') : s.compare ? t('tool.disabledCompare') : s.connection !== 'connected' ? t('error.disconnected') : undefined;
  return (
    <Tooltip label={t('action.detectText')} shortcut={detect.shortcut} hint={t('action.detectTextHint')} warning={detect.enabled ? undefined : reason} placement="bottom-end">
      <button type="button" className="btn detect-text" disabled={!detect.enabled} onClick={detect.perform} data-testid="detect-text">
        <ScanText size={16} strokeWidth={2} />
        {t('action.detectText')}
      </button>
    </Tooltip>
  );
}

function EraseButton() {
  const t = useT();
  const erase = useAction('erase');
  const s = erase.state.session;
  const reason = erase.state.productMask
    ? t('ad.selection.eraseBlocked')
    : s.job
      ? t('action.eraseDisabledBusy')
    : s.compare
      ? t('tool.disabledCompare')
      : s.connection !== 'connected'
        ? t('error.disconnected')
        : s.maskEmpty
          ? t('action.eraseDisabledEmpty')
          : undefined;
  return (
    <Tooltip label={t('action.erase')} shortcut={erase.shortcut} hint={t('action.eraseHint')} warning={erase.enabled ? undefined : reason} placement="bottom-end">
      <button type="button" className="btn primary erase" disabled={!erase.enabled} onClick={erase.perform} data-testid="erase">
        <Sparkles size={16} strokeWidth={2} />
        {t('action.erase')}
      </button>
    </Tooltip>
  );
}
