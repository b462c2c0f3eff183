import { useCallback, useEffect, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { EngineSettingsView } from './ProfileForm';

export interface EngineSettingsState {
  /** null while loading, or where profiles cannot be changed (no Docker engines in this mode). */
  settings: EngineSettingsView | null;
  /** Names of the custom profiles (rows that offer Edit and Delete). */
  customNames: ReadonlySet<string>;
  set(settings: EngineSettingsView): void;
  reload(): void;
}

/** engines.json as the panel needs it: loaded when the panel opens, replaced by every change's answer. */
export function useEngineSettings(api: AdstudioApi): EngineSettingsState {
  const [settings, setSettings] = useState<EngineSettingsView | null>(null);
  const reload = useCallback(() => {
    void api.getEngineSettings().then((r) => setSettings(r.ok ? r.value : null));
  }, [api]);
  useEffect(reload, [reload]);
  const customNames = new Set((settings?.customProfiles ?? []).map((p) => p.name));
  return { settings, customNames, set: setSettings, reload };
}
