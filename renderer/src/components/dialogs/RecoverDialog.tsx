import { History } from 'lucide-react';
import { useState } from 'react';
import { useEditor } from '../../app/editor-context';
import type { RecoverableSession } from '../../editor/session-state';
import { discardRecovery, recoverSession } from '../../editor/project-io';
import { useLang, useT } from '../../i18n/i18n-context';
import { Modal } from '../Modal';
import { formatDate, projectLabel } from './use-projects';

/** "Recover unsaved work?" on start: one row per autosaved session. */
export function RecoverDialog({ sessions, onClose }: { sessions: RecoverableSession[]; onClose: () => void }) {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const [left, setLeft] = useState(sessions);

  const recover = (s: RecoverableSession) => {
    onClose();
    void recoverSession(ed, s.sessionId);
  };
  const discard = async (s: RecoverableSession) => {
    await discardRecovery(ed, s.sessionId);
    const rest = left.filter((x) => x.sessionId !== s.sessionId);
    setLeft(rest);
    if (rest.length === 0) onClose();
  };

  return (
    <Modal
      title={t('recover.title')}
      onClose={onClose}
      wide
      testId="recover-dialog"
      footer={
        <button type="button" className="btn" onClick={onClose}>
          {t('recover.later')}
        </button>
      }
    >
      <p>{t('recover.body')}</p>
      {left.map((s) => (
        <div className="recover-item" key={s.sessionId}>
          <History size={18} color="var(--warn)" />
          <div className="info">
            <div className="name">{(s.path ? projectLabel(s.path.split(/[\\/]/).pop() ?? '') : '') || s.title || t('app.untitled')}</div>
            <div className="meta">{t('recover.savedAt', { date: formatDate(s.savedAt, lang) })}</div>
          </div>
          <button type="button" className="btn small danger" onClick={() => void discard(s)} data-testid="recover-discard">
            {t('recover.discard')}
          </button>
          <button type="button" className="btn small primary" onClick={() => recover(s)} data-testid="recover-accept">
            {t('recover.recover')}
          </button>
        </div>
      ))}
    </Modal>
  );
}
