import { useEffect, useState } from 'react';
import { useEditor, useSettings } from '../../app/editor-context';
import { useT } from '../../i18n/i18n-context';
import { Modal } from '../Modal';
import { Slider } from '../Slider';
import { MASK_COLORS } from '../../panels/MaskPanel';
import { methodName } from '../../editor/methods/method-names';

interface Method {
  id: string;
  label: string;
  isDefault: boolean;
  /** Set for a method that runs a downloadable model (LaMa); chosen only once installed (Erase method panel downloads it). */
  model?: string;
  installed?: boolean;
}

/** Language, mask look, autosave interval, inpaint method — all persisted via updateSettings. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const ed = useEditor();
  const t = useT();
  const s = useSettings();
  const [methods, setMethods] = useState<Method[] | null>(null);
  useEffect(() => {
    void ed.api.listInpaintMethods().then((r) => setMethods(r.ok ? r.value : []));
  }, [ed]);

  return (
    <Modal
      title={t('settings.title')}
      onClose={onClose}
      testId="settings-dialog"
      footer={
        <>
          <span className="field-hint" style={{ marginRight: 'auto', alignSelf: 'center' }}>
            {t('settings.version', { version: ed.appInfo.version })}
          </span>
          <button type="button" className="btn primary" onClick={onClose}>
            {t('dialog.close')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">{t('settings.language')}</span>
        <select className="select" value={s.language} onChange={(e) => void ed.updateSettings({ language: e.target.value as typeof s.language })} data-testid="language-select">
          <option value="system">{t('settings.languageSystem')}</option>
          <option value="ko">{t('settings.languageKo')}</option>
          <option value="en">{t('settings.languageEn')}</option>
        </select>
      </label>

      <div className="field">
        <span className="field-label">{t('settings.maskColor')}</span>
        <div className="swatches">
          {MASK_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              className={`swatch${s.maskColor.toLowerCase() === c ? ' on' : ''}`}
              style={{ background: c }}
              aria-label={c}
              onClick={() => void ed.updateSettings({ maskColor: c })}
            />
          ))}
          <input type="color" className="color-input" value={s.maskColor} aria-label={t('settings.maskColor')} onChange={(e) => void ed.updateSettings({ maskColor: e.target.value })} />
        </div>
      </div>
      <Slider
        label={t('settings.maskOpacity')}
        value={Math.round(s.maskOpacity * 100)}
        min={10}
        max={100}
        onChange={(v) => void ed.updateSettings({ maskOpacity: v / 100 })}
        display={`${Math.round(s.maskOpacity * 100)}%`}
      />

      <label className="field">
        <span className="field-label">{t('settings.autosave')}</span>
        <span className="slider-row">
          <input
            className="num-input"
            type="number"
            min={5}
            max={3600}
            value={s.autosaveSeconds}
            onChange={(e) => {
              const v = Math.round(Number(e.target.value));
              if (v >= 5 && v <= 3600) void ed.updateSettings({ autosaveSeconds: v });
            }}
            data-testid="autosave-seconds"
          />
          <span className="field-hint">{t('settings.autosaveUnit')}</span>
        </span>
      </label>

      <label className="field">
        <span className="field-label">{t('settings.inpaintMethod')}</span>
        <select
          className="select"
          value={s.inpaintMethod}
          disabled={!methods}
          onChange={(e) => void ed.updateSettings({ inpaintMethod: e.target.value })}
          data-testid="inpaint-method-select"
        >
          {(methods ?? []).some((m) => m.id === s.inpaintMethod) ? null : <option value={s.inpaintMethod}>{s.inpaintMethod}</option>}
          {(methods ?? []).map((m) => (
            <option key={m.id} value={m.id} disabled={m.model !== undefined && !m.installed && m.id !== s.inpaintMethod}>
              {methodName(m.id, m.label)}
              {m.model !== undefined && !m.installed ? ` ${t('methods.unavailableSetting')}` : ''}
            </option>
          ))}
        </select>
        <span className="field-hint">{t('settings.inpaintMethodHint')}</span>
      </label>
    </Modal>
  );
}
