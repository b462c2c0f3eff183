import { useId, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import { useT } from '../../i18n/i18n-context';
import type { EngineSettingsView } from './ProfileForm';

type OnQuit = NonNullable<EngineSettingsView['onQuit']>;
const CHOICES: readonly OnQuit[] = ['leave-running', 'stop'];

interface Props {
  api: AdstudioApi;
  /** null where Docker engines are not offered: nothing to show. */
  settings: EngineSettingsView | null;
  onSaved(settings: EngineSettingsView): void;
}

/** "When adstudio quits: leave engines running / stop them" — engines.json's onQuit, saved on change. */
export function EngineQuitSetting({ api, settings, onSaved }: Props) {
  const t = useT();
  const id = useId();
  const [saving, setSaving] = useState<OnQuit | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (!settings) return null;
  const value = saving ?? settings.onQuit ?? 'leave-running';

  const change = async (onQuit: OnQuit) => {
    setSaving(onQuit);
    setFailure(null);
    const r = await api.setEngineOnQuit({ onQuit });
    setSaving(null);
    if (r.ok) onSaved(r.value);
    else setFailure(r.error.message);
  };

  return (
    <div className="engine-quit" data-testid="engine-on-quit-setting">
      <label htmlFor={`${id}-select`}>{t('engines.onQuit.label')}</label>
      <select
        id={`${id}-select`}
        value={value}
        disabled={saving !== null}
        aria-describedby={`${id}-hint`}
        onChange={(ev) => void change(ev.target.value as OnQuit)}
        data-testid="engine-on-quit"
      >
        {CHOICES.map((c) => (
          <option key={c} value={c}>
            {t(`engines.onQuit.${c}`)}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="engine-dim">
        {t('engines.onQuit.hint')}
      </p>
      {failure ? (
        <p className="engine-error" role="alert" data-testid="engine-on-quit-failed">
          {t('engines.onQuit.failed', { message: failure })}
        </p>
      ) : null}
    </div>
  );
}
