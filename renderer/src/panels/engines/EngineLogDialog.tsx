import { useEffect, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/i18n-context';
import type { EngineLogLine } from './use-engines';

/** The full recent log of one engine (what the manager keeps in memory) and where the whole file is. */
export function EngineLogDialog({ api, profile, title, onClose }: { api: AdstudioApi; profile: string; title: string; onClose(): void }) {
  const t = useT();
  const [lines, setLines] = useState<EngineLogLine[] | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.getEngineLogs({ profile, limit: 2000 }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setLines(r.value.lines);
        setFile(r.value.file);
      } else setError(r.error.message);
    });
    const off = api.on('engineLog', (line) => line.profile === profile && setLines((l) => (l ? [...l, line].slice(-2000) : l)));
    return () => {
      live = false;
      off();
    };
  }, [api, profile]);

  return (
    <Modal title={t('engines.logsTitle', { name: title })} onClose={onClose} wide testId="engine-log-dialog">
      {error ? <p className="engine-error">{t('engines.failed', { message: error })}</p> : null}
      {lines === null && !error ? <p>{t('engines.loading')}</p> : null}
      {lines?.length === 0 ? <p className="engine-dim">{t('engines.logsEmpty')}</p> : null}
      {lines && lines.length > 0 ? (
        <pre className="engine-log-full" data-testid="engine-log-lines">
          {lines.map((l) => `${new Date(l.at).toLocaleTimeString()} ${l.stream === 'stderr' ? '!' : ' '} ${l.text}`).join('\n')}
        </pre>
      ) : null}
      {file ? <p className="engine-dim mono">{t('engines.logFile', { file })}</p> : null}
    </Modal>
  );
}
