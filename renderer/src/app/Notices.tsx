import { AlertCircle, CheckCircle2, Info, X } from 'lucide-react';
import { isMessageKey } from '../i18n/translate';
import { useT } from '../i18n/i18n-context';
import { useEditor, useSession } from './editor-context';
import { JobToast } from './JobToast';
import { UploadToast } from './UploadToast';

/** Bottom-right stack: the running job, then notices (errors stay until dismissed). */
export function Notices({ wide }: { wide: boolean }) {
  const ed = useEditor();
  const t = useT();
  const notices = useSession((s) => s.notices);
  return (
    <div className={`toasts${wide ? ' wide' : ''}`} aria-live="polite">
      {notices.map((n) => {
        const Icon = n.kind === 'error' ? AlertCircle : n.kind === 'success' ? CheckCircle2 : Info;
        const codeKey = n.code ? `error.${n.code}` : '';
        return (
          <div key={n.id} className={`toast ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`}>
            <Icon size={18} color={n.kind === 'error' ? 'var(--danger)' : n.kind === 'success' ? 'var(--success)' : 'var(--accent-text)'} />
            <div className="body">
              <div className="title">{t(n.title, n.vars)}</div>
              {isMessageKey(codeKey) ? <div className="desc">{t(codeKey)}</div> : null}
              {n.detail ? <div className="detail">{n.detail}</div> : null}
            </div>
            <button type="button" className="icon-btn" aria-label={t('error.dismiss')} onClick={() => ed.dismiss(n.id)}>
              <X size={14} />
            </button>
          </div>
        );
      })}
      <UploadToast />
      <JobToast />
    </div>
  );
}
