import { FolderOpen } from 'lucide-react';
import { useState } from 'react';
import { useEditor } from '../../app/editor-context';
import { openProjectAt } from '../../editor/project-io';
import { useLang, useT } from '../../i18n/i18n-context';
import { Modal } from '../Modal';
import { formatDate, projectLabel, useProjects } from './use-projects';

/** Browser mode "Open project": pick from the server's projects folder. */
export function OpenProjectDialog({ onClose }: { onClose: () => void }) {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const projects = useProjects(ed);
  const [chosen, setChosen] = useState<string | null>(null);

  const open = (path: string) => {
    onClose();
    ed.guardUnsaved(() => void openProjectAt(ed, path));
  };

  return (
    <Modal
      title={t('open.title')}
      onClose={onClose}
      testId="open-project-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="btn primary" disabled={!chosen} onClick={() => chosen && open(chosen)} data-testid="open-project-confirm">
            <FolderOpen size={15} />
            {t('open.confirm')}
          </button>
        </>
      }
    >
      {projects === null ? (
        <div className="list-empty">
          <span className="spinner" />
        </div>
      ) : projects.length === 0 ? (
        <div className="list-empty">{t('open.empty')}</div>
      ) : (
        <ul className="list-box" data-testid="project-list">
          {projects.map((p) => (
            <li key={p.path}>
              <button type="button" className={chosen === p.path ? 'on' : ''} onClick={() => setChosen(p.path)} onDoubleClick={() => open(p.path)}>
                <span>{projectLabel(p.name)}</span>
                <span className="meta">{t('open.modified', { date: formatDate(p.modifiedAt, lang) })}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
