import { X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/i18n-context';
import { ActiveJob } from './ActiveJob';
import { FinishedJob } from './FinishedJob';
import { splitJobs } from './jobs-model';
import type { JobsState } from './use-jobs';
import { VramBar } from './VramBar';

export const JOBS_PANEL_ID = 'jobs-panel';

/**
 * A drawer beside the canvas (not modal: editing goes on while jobs run): the VRAM bar, the jobs in
 * progress, then the finished ones. Escape inside it closes it; focus moves in on open.
 */
export function JobsPanel({ view, onClose }: { view: JobsState; onClose(): void }) {
  const t = useT();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  const { active, history } = splitJobs(view.jobs ?? []);
  const failure = view.failure;
  return (
    <aside
      ref={ref}
      id={JOBS_PANEL_ID}
      className="jobs-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="jobs-panel-title"
      data-testid="jobs-panel"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // The editor's own Escape (cancel a stroke) is not meant while the panel has focus.
        e.stopPropagation();
        onClose();
      }}
    >
      <header className="jobs-panel-head">
        <h2 id="jobs-panel-title">{t('jobs.title')}</h2>
        <button type="button" className="icon-btn" aria-label={t('jobs.close')} onClick={onClose} data-autofocus data-testid="jobs-close">
          <X size={18} />
        </button>
      </header>
      <div className="jobs-panel-body">
        <VramBar memory={view.memory} />
        {failure ? (
          <p className="jobs-error" role="alert" data-testid="jobs-failure">
            {t(failure.action === 'load' ? 'jobs.failed' : failure.action === 'cancel' ? 'jobs.cancelFailed' : 'jobs.retryFailed', { message: failure.message })}
          </p>
        ) : null}
        {view.jobs === null ? <p className="jobs-dim">{t('jobs.loading')}</p> : null}

        <section aria-labelledby="jobs-active-title">
          <h3 id="jobs-active-title">
            {t('jobs.active')} <span className="jobs-count">{active.length}</span>
          </h3>
          {view.jobs !== null && active.length === 0 ? <p className="jobs-dim" data-testid="jobs-active-none">{t('jobs.activeNone')}</p> : null}
          <ul className="jobs-list" data-testid="jobs-active">
            {active.map((job) => (
              <ActiveJob key={job.id} job={job} busy={view.busy[job.id]} onCancel={() => view.cancel(job.id)} />
            ))}
          </ul>
        </section>

        <section aria-labelledby="jobs-history-title">
          <h3 id="jobs-history-title">
            {t('jobs.history')} <span className="jobs-count">{history.length}</span>
          </h3>
          {view.jobs !== null && history.length === 0 ? <p className="jobs-dim">{t('jobs.historyNone')}</p> : null}
          <ul className="jobs-list" data-testid="jobs-history">
            {history.map((job) => (
              <FinishedJob key={job.id} job={job} busy={view.busy[job.id]} onRetry={() => view.retry(job.id)} />
            ))}
          </ul>
        </section>
      </div>
    </aside>
  );
}
