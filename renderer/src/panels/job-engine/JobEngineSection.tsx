import { useEditor, useSession } from '../../app/editor-context';
import { useT } from '../../i18n/i18n-context';
import { engineName } from './engine-name';
import './job-engine.css';
import { useJobEngine } from './use-job-engine';

/**
 * "Run jobs on" at the top of the Engines panel: the embedded engine or a container engine profile.
 * The status line says the truth of the moment — a chosen engine that is not running yet leaves the
 * jobs on the embedded engine, and says so.
 */
export function JobEngineSection() {
  const ed = useEditor();
  const t = useT();
  const connected = useSession((s) => s.connection === 'connected');
  const { view, pending, failure, choose } = useJobEngine(ed.api, connected);
  if (!view) return null;
  const chosen = pending ?? view.choice;
  const name = engineName(t, view, view.choice);
  const status = t(`jobEngine.status.${view.status}`, { name });
  const choices = [{ profile: 'embedded', title: t('jobEngine.embedded'), detail: null }, ...view.options.map((o) => ({ ...o, detail: t(`jobEngine.protocol.${o.protocol}`) }))];
  return (
    <section className="job-engine" aria-labelledby="job-engine-title" data-testid="job-engine">
      <h3 id="job-engine-title">{t('jobEngine.title')}</h3>
      <p className="engine-dim">{t('jobEngine.hint')}</p>
      <div role="radiogroup" aria-labelledby="job-engine-title" className="job-engine-choices">
        {choices.map((c) => (
          <label key={c.profile} className="job-engine-choice">
            <input
              type="radio"
              name="job-engine"
              value={c.profile}
              checked={chosen === c.profile}
              disabled={pending !== null}
              onChange={() => void choose(c.profile)}
              data-testid={`job-engine-${c.profile}`}
            />
            <span>{c.title}</span>
            {c.detail ? <span className="engine-dim">{c.detail}</span> : null}
          </label>
        ))}
      </div>
      <p className={view.status === 'error' ? 'engine-error' : 'job-engine-status'} role="status" data-testid="job-engine-status" data-status={view.status}>
        {status}
        {view.message && view.status === 'error' ? <span className="job-engine-detail">{view.message}</span> : null}
      </p>
      {failure ? (
        <p className="engine-error" role="alert" data-testid="job-engine-failed">
          {t('jobEngine.changeFailed', { message: failure })}
        </p>
      ) : null}
    </section>
  );
}
