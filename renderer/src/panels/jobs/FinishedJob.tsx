import { isMessageKey } from '../../i18n/translate';
import { useT } from '../../i18n/i18n-context';
import { durationText, todoKey } from './jobs-format';
import { jobDurationMs, type JobView } from './jobs-model';
import { JobResults } from './JobResults';
import { StageList } from './StageList';
import type { JobAction } from './use-jobs';

/** A finished job: how it ended and how long it took, the error with what to do, Retry, its results. */
export function FinishedJob({ job, busy, onRetry }: { job: JobView; busy: JobAction | undefined; onRetry(): void }) {
  const t = useT();
  const duration = jobDurationMs(job);
  const error = job.error ?? job.stages.find((s) => s.error)?.error ?? null;
  const canRetry = job.status === 'failed' || job.status === 'cancelled';
  // The code's own sentence in the user's language; the engine's message follows as it is.
  const errorKey = error ? `error.${error.code}` : '';
  const errorTitle = isMessageKey(errorKey) ? t(errorKey) : null;
  return (
    <li className="job job-finished" data-testid={`job-${job.id}`} data-status={job.status}>
      <header className="job-head">
        <strong className="job-title">{job.title}</strong>
        {job.simulated ? <span className="job-tag simulated">{t('jobs.simulatedJob')}</span> : null}
        {job.engine && job.engine !== 'embedded' ? <span className="job-tag" data-testid={`job-engine-${job.id}`}>{t('jobs.onEngine', { name: job.engine })}</span> : null}
        <span className={`job-badge st-${job.status}`} data-testid={`job-status-${job.id}`}>
          {t(`jobs.status.${job.status}`)}
        </span>
      </header>
      <p className="job-meta">
        {duration !== null ? <span data-testid={`job-duration-${job.id}`}>{t('jobs.duration', { time: durationText(t, duration) })}</span> : null}
        {job.finishedAt !== null ? <time dateTime={new Date(job.finishedAt).toISOString()}>{new Date(job.finishedAt).toLocaleTimeString()}</time> : null}
      </p>
      {job.status === 'failed' && error ? (
        <div className="job-error" role="alert" data-testid={`job-error-${job.id}`}>
          {errorTitle ? <p>{errorTitle}</p> : null}
          <p className="job-error-detail">{error.message}</p>
          <p>
            <strong>{t('jobs.todo', { action: t(todoKey(error.code)) })}</strong>
          </p>
        </div>
      ) : null}
      {job.status === 'cancelled' ? <p className="jobs-dim">{t('jobs.todo', { action: t('jobs.todo.cancelled') })}</p> : null}
      {job.status !== 'done' ? <StageList job={job} /> : null}
      <JobResults job={job} />
      {canRetry ? (
        <div className="job-actions">
          <button type="button" className="btn small" disabled={busy === 'retry'} onClick={onRetry} data-testid={`job-retry-${job.id}`}>
            {busy === 'retry' ? t('jobs.retrying') : t('jobs.retry')}
          </button>
        </div>
      ) : null}
    </li>
  );
}
