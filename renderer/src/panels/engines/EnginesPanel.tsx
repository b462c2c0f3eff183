import { useState } from 'react';
import { useEditor } from '../../app/editor-context';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/i18n-context';
import { EngineLogDialog } from './EngineLogDialog';
import { EngineRow } from './EngineRow';
import './engines.css';
import { useEngines } from './use-engines';

/** Engine containers: every profile with its honest state, and start/stop/restart/logs. */
export function EnginesPanel({ onClose, onUseEmbedded }: { onClose(): void; onUseEmbedded(): void }) {
  const ed = useEditor();
  const t = useT();
  const view = useEngines(ed.api);
  const [logsOf, setLogsOf] = useState<{ profile: string; title: string } | null>(null);

  if (logsOf) return <EngineLogDialog api={ed.api} profile={logsOf.profile} title={logsOf.title} onClose={() => setLogsOf(null)} />;
  return (
    <Modal
      title={t('engines.title')}
      onClose={onClose}
      wide
      testId="engines-panel"
      footer={
        <>
          <button type="button" className="btn" onClick={view.refresh} data-testid="engines-refresh">
            {t('engines.refresh')}
          </button>
          <button type="button" className="btn primary" onClick={onClose}>
            {t('dialog.close')}
          </button>
        </>
      }
    >
      <p className="engine-dim">{t('engines.intro')}</p>
      {view.failure ? <p className="engine-error">{t('engines.failed', { message: view.failure })}</p> : null}
      {view.engines === null ? <p>{t('engines.loading')}</p> : null}
      {view.engines?.length === 0 ? <p data-testid="engines-none">{t('engines.none')}</p> : null}
      {view.engines?.map((e) => (
        <EngineRow
          key={e.profile}
          engine={e}
          tail={view.tails[e.profile] ?? []}
          busy={view.busy[e.profile]}
          onAct={(action) => view.act(e.profile, action)}
          onLogs={() => setLogsOf({ profile: e.profile, title: e.title })}
          onUseEmbedded={onUseEmbedded}
        />
      ))}
    </Modal>
  );
}
