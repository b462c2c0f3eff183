import { Copy } from 'lucide-react';
import { useRef, useState } from 'react';
import { useT } from '../../i18n/i18n-context';
import { jobResults, type JobView } from './jobs-model';

/** The files a job wrote, each with its path (selectable) and a copy-path button. */
export function JobResults({ job }: { job: JobView }) {
  const t = useT();
  const results = jobResults(job);
  if (results.length === 0) return null;
  return (
    <div className="job-results">
      <h4>{t('jobs.results')}</h4>
      <ul>
        {results.map((r) => (
          <ResultRow key={`${r.stageKind}/${r.name}/${r.path}`} label={`${t(`jobs.stage.${r.stageKind}`)} · ${r.name}`} path={r.path} />
        ))}
      </ul>
    </div>
  );
}

function ResultRow({ label, path }: { label: string; path: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const pathRef = useRef<HTMLElement>(null);
  const copy = () => {
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    const fail = () => {
      setState('failed');
      // Where the clipboard is refused, select the path so Ctrl+C copies it.
      if (pathRef.current) window.getSelection()?.selectAllChildren(pathRef.current);
    };
    if (!clipboard) return fail();
    clipboard.writeText(path).then(() => setState('copied'), fail);
  };
  return (
    <li className="job-result" data-testid="job-result">
      <span className="job-result-label">{label}</span>
      <code ref={pathRef} className="job-result-path" data-testid="job-result-path">
        {path}
      </code>
      <button type="button" className="btn small ghost" onClick={copy} aria-label={t('jobs.copyPathOf', { name: label })} data-testid="job-copy-path">
        <Copy size={12} aria-hidden />
        {state === 'copied' ? t('jobs.copied') : t('jobs.copyPath')}
      </button>
      {state === 'failed' ? (
        <span className="jobs-warn" role="status">
          {t('jobs.copyFailed')}
        </span>
      ) : null}
    </li>
  );
}
