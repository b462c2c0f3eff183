import { useT } from '../../i18n/i18n-context';
import { etaText } from './jobs-format';
import type { JobView } from './jobs-model';
import { StageList } from './StageList';
import type { JobAction } from './use-jobs';

/** A queued or running job: overall progress with the time left, its stages, and Cancel. */
export function ActiveJob({ job, busy, onCancel }: { job: JobView; busy: JobAction | undefined; onCancel(): void }) {
  const t = useT();
  const pct = Math.floor(job.progress * 100);
  const cancelling = busy === 'cancel';
  return (
    <li className="job job-active" data-testid={`job-${job.id}`} data-status={job.status}>
      <header className="job-head">
        <strong className="job-title">{job.title}</strong>
        {job.priority === 'interactive' ? <span className="job-tag">{t('jobs.priority.interactive')}</span> : null}
        {job.simulated ? <span className="job-tag simulated">{t('jobs.simulatedJob')}</span> : null}
        {job.engine && job.engine !== 'embedded' ? <span className="job-tag" data-testid={`job-engine-${job.id}`}>{t('jobs.onEngine', { name: job.engine })}</span> : null}
        <span className={`job-badge st-${job.status}`} data-testid={`job-status-${job.id}`}>
          {t(`jobs.status.${job.status}`)}
        </span>
      </header>
      <div
        className="job-progress"
        role="progressbar"
        aria-label={t('jobs.progressLabel', { title: job.title })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${t('jobs.progress', { pct })}, ${etaText(t, job.etaSeconds)}`}
        data-testid={`job-progress-${job.id}`}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p className="job-meta">
        <span>{t('jobs.progress', { pct })}</span>
        <span data-testid={`job-eta-${job.id}`}>{etaText(t, job.etaSeconds)}</span>
      </p>
      <StageList job={job} />
      <div className="job-actions">
        <button type="button" className="btn small" disabled={cancelling} onClick={onCancel} data-testid={`job-cancel-${job.id}`}>
          {cancelling ? t('jobs.cancelling') : t('jobs.cancel')}
        </button>
      </div>
    </li>
  );
}
