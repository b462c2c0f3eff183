import { Save } from 'lucide-react';
import { useState } from 'react';
import { useEditor } from '../../app/editor-context';
import { saveWithName, cleanProjectName } from '../../editor/project-io';
import { useLang, useT } from '../../i18n/i18n-context';
import { Modal } from '../Modal';
import { formatDate, projectLabel, useProjects } from './use-projects';

/** Browser mode "Save as": a name inside the server's projects folder, with the existing ones listed. */
export function SaveDialog({ onClose, then }: { onClose: () => void; then?: (() => void) | undefined }) {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const projects = useProjects(ed);
  const [name, setName] = useState(ed.displayName() || ed.document()?.title || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!cleanProjectName(name)) {
      setError(t('save.nameRequired'));
      return;
    }
    setBusy(true);
    const ok = await saveWithName(ed, name);
    setBusy(false);
    if (ok) {
      onClose();
      then?.();
    }
  };

  return (
    <Modal
      title={t('save.title')}
      onClose={onClose}
      testId="save-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="btn primary" disabled={busy} onClick={() => void submit()} data-testid="save-confirm">
            {busy ? <span className="spinner" /> : <Save size={15} />}
            {t('save.confirm')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">{t('save.name')}</span>
        <input
          className="text-input"
          value={name}
          placeholder={t('save.namePlaceholder')}
          maxLength={120}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
          data-testid="save-name"
          data-autofocus
        />
        {error ? <span className="error-text">{error}</span> : <span className="field-hint">{t('save.overwriteHint')}</span>}
      </label>
      {projects && projects.length > 0 ? (
        <div className="field">
          <span className="field-label">{t('save.existing')}</span>
          <ul className="list-box">
            {projects.map((p) => (
              <li key={p.path}>
                <button type="button" className={projectLabel(p.name) === cleanProjectName(name) ? 'on' : ''} onClick={() => setName(projectLabel(p.name))}>
                  <span>{projectLabel(p.name)}</span>
                  <span className="meta">{formatDate(p.modifiedAt, lang)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Modal>
  );
}
