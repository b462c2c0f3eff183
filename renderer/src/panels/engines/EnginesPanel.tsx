import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useEditor } from '../../app/editor-context';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/i18n-context';
import { JobEngineSection } from '../job-engine/JobEngineSection';
import { EngineLogDialog } from './EngineLogDialog';
import { EngineQuitSetting } from './EngineQuitSetting';
import { EngineRow } from './EngineRow';
import './engines.css';
import { ProfileForm, type ProfileChange } from './ProfileForm';
import { useEngineMemory } from './use-engine-memory';
import { useEngineSettings } from './use-engine-settings';
import { useEngines } from './use-engines';

type Overlay = { kind: 'logs'; profile: string; title: string } | { kind: 'add' } | { kind: 'edit'; profile: string } | null;

/**
 * Engine containers: every profile with its honest state, start/stop/restart/logs, the VRAM of the
 * running ones, and custom profiles added, edited and deleted here (written to engines.json).
 */
export function EnginesPanel({ onClose, onUseEmbedded }: { onClose(): void; onUseEmbedded(): void }) {
  const ed = useEditor();
  const t = useT();
  const view = useEngines(ed.api);
  const memory = useEngineMemory(ed.api, view.engines);
  const profiles = useEngineSettings(ed.api);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const applied = (change: ProfileChange) => {
    profiles.set(change.settings);
    view.replace(change.engines);
  };

  const remove = async (name: string) => {
    setNotice(null);
    setFailure(null);
    const r = await ed.api.deleteEngineProfile({ name });
    if (!r.ok) {
      setFailure(t('engines.deleteFailed', { message: r.error.message }));
      return;
    }
    applied(r.value);
    setNotice(r.value.keptRunning ? t('engines.deletedRunning', { name, container: r.value.keptRunning }) : t('engines.deleted', { name }));
  };

  if (overlay?.kind === 'logs') {
    return <EngineLogDialog api={ed.api} profile={overlay.profile} title={overlay.title} onClose={() => setOverlay(null)} />;
  }
  if ((overlay?.kind === 'add' || overlay?.kind === 'edit') && profiles.settings) {
    return (
      <ProfileForm
        api={ed.api}
        settings={profiles.settings}
        {...(overlay.kind === 'edit' ? { editing: overlay.profile } : {})}
        onCancel={() => setOverlay(null)}
        onSaved={(change) => {
          applied(change);
          setOverlay(null);
          setFailure(null);
          setNotice(change.restartToApply ? t('engines.savedRestart', { name: change.profile }) : t('engines.saved', { name: change.profile }));
        }}
      />
    );
  }
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
      <JobEngineSection />
      <div className="engine-intro">
        <p className="engine-dim">{t('engines.intro')}</p>
        {profiles.settings ? (
          <button type="button" className="btn small" onClick={() => setOverlay({ kind: 'add' })} data-testid="engine-add">
            <Plus size={14} aria-hidden />
            {t('engines.add')}
          </button>
        ) : null}
      </div>
      <EngineQuitSetting api={ed.api} settings={profiles.settings} onSaved={profiles.set} />
      <div aria-live="polite">
        {notice ? (
          <p className="engine-notice" data-testid="engines-notice">
            {notice}
          </p>
        ) : null}
      </div>
      {failure ? (
        <p className="engine-error" role="alert" data-testid="engines-change-failed">
          {failure}
        </p>
      ) : null}
      {view.failure ? <p className="engine-error">{t('engines.failed', { message: view.failure })}</p> : null}
      {view.engines === null ? <p>{t('engines.loading')}</p> : null}
      {view.engines?.length === 0 ? <p data-testid="engines-none">{t('engines.none')}</p> : null}
      {view.engines?.map((e) => (
        <EngineRow
          key={e.profile}
          engine={e}
          tail={view.tails[e.profile] ?? []}
          busy={view.busy[e.profile]}
          memory={memory[e.profile]}
          onAct={(action) => view.act(e.profile, action)}
          onLogs={() => setOverlay({ kind: 'logs', profile: e.profile, title: e.title })}
          onUseEmbedded={onUseEmbedded}
          {...(profiles.customNames.has(e.profile)
            ? { custom: { onEdit: () => setOverlay({ kind: 'edit', profile: e.profile }), onDelete: () => remove(e.profile) } }
            : {})}
        />
      ))}
    </Modal>
  );
}
