import { useT } from '../../i18n/i18n-context';
import type { JobView } from './jobs-model';

/** Each stage of a job: what it does (localized), the model, step/total, its status. */
export function StageList({ job }: { job: JobView }) {
  const t = useT();
  return (
    <ol className="job-stages" aria-label={t('jobs.stages')}>
      {job.stages.map((s) => (
        <li key={s.id} className={`job-stage st-${s.status}`} data-testid={`job-stage-${job.id}-${s.id}`} data-status={s.status}>
          <span className="job-stage-kind">{t(`jobs.stage.${s.kind}`)}</span>
          <span className="job-stage-model mono">{s.model ?? t('jobs.noModel')}</span>
          <span className="job-stage-steps">{s.totalSteps > 0 ? t('jobs.steps', { step: s.step, total: s.totalSteps }) : ''}</span>
          <span className="job-stage-status">
            {t(`jobs.stageStatus.${s.status}`)}
            {s.attempts > 1 ? ` · ${t('jobs.attempt', { n: s.attempts })}` : ''}
          </span>
          {s.note && s.status === 'waiting' ? <span className="job-stage-note jobs-dim">{s.note}</span> : null}
        </li>
      ))}
    </ol>
  );
}
