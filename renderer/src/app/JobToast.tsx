import { Images, Scissors, ScanText, Sparkles, type LucideIcon } from 'lucide-react';
import type { JobKind } from '../editor/session-state';
import type { MessageKey } from '../i18n/translate';
import { useLang, useT } from '../i18n/i18n-context';
import { useEditor, useSession } from './editor-context';

/** What each kind of host job is called while it runs, and its icon. */
const LOOK: Record<JobKind, { title: MessageKey; icon: LucideIcon }> = {
  erase: { title: 'job.erasing', icon: Sparkles },
  detect: { title: 'job.detecting', icon: ScanText },
  cutout: { title: 'ad.job.cutout', icon: Scissors },
  backgrounds: { title: 'ad.job.backgrounds', icon: Images },
};

/** Non-blocking progress of the running job (erase, text detection, cut-out, backgrounds), with Cancel. */
export function JobToast() {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const job = useSession((s) => s.job);
  if (!job) return null;
  const pct = Math.round(job.progress * 100);
  const waiting = job.phase === 'starting' || (job.phase === 'running' && job.progress === 0);
  const working = t(LOOK[job.kind].title);
  const Icon = LOOK[job.kind].icon;
  return (
    <div className="toast job" data-testid="job-toast" data-kind={job.kind}>
      <Icon size={18} color="var(--accent-text)" />
      <div className="body">
        <div className="job-row">
          <span className="title">{job.phase === 'cancelling' ? t('job.cancelling') : job.phase === 'starting' ? t('job.starting') : working}</span>
          <span className="job-pct" data-testid="job-percent">
            {pct}%
          </span>
        </div>
        <div
          className={`progress${waiting ? ' indeterminate' : ''}`}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-label={working}
          data-testid="job-progress"
        >
          <div style={{ width: `${pct}%` }} />
        </div>
        {/* Engine stage messages are English; a Korean screen shows the percentage only. */}
        {job.message && lang === 'en' ? <div className="detail">{job.message}</div> : null}
      </div>
      <button type="button" className="btn small" disabled={job.phase === 'cancelling'} onClick={() => void ed.hostJobs.cancel()} data-testid="job-cancel">
        {t('job.cancel')}
      </button>
    </div>
  );
}
