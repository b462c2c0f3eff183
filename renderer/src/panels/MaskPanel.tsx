import { Download, FlipHorizontal2, Trash2, Upload } from 'lucide-react';
import { useState } from 'react';
import { useActionState, useEditor, useSession, useSettings } from '../app/editor-context';
import { Slider } from '../components/Slider';
import { Tooltip } from '../components/Tooltip';
import { getAction } from '../editor/actions';
import { featherMask, growMask, shrinkMask } from '../editor/mask-actions';
import { useT } from '../i18n/i18n-context';
import { ProductSelectionNote } from './ad/ProductSelectionNote';

export const MASK_COLORS = ['#ff3b5c', '#ff8a00', '#ffd400', '#22c55e', '#3d7bfd', '#a855f7'];

/** Mask appearance (persisted settings) and whole-mask actions. */
export function MaskPanel() {
  const ed = useEditor();
  const t = useT();
  const settings = useSettings();
  const state = useActionState();
  const busy = useSession((s) => s.maskBusy);
  const empty = useSession((s) => s.maskEmpty);
  const [px, setPx] = useState(4);
  const canEdit = getAction('mask.invert').enabled(state);
  const morphDisabled = !canEdit || empty;
  const reason = state.session.compare ? t('tool.disabledCompare') : empty ? t('mask.emptyHint') : undefined;

  const run = (id: string) => void getAction(id).perform(ed);

  return (
    <section className="panel" data-testid="mask-panel">
      <h3 className="panel-title">
        {t('mask.title')}
        {busy ? <span className="spinner" aria-label={t('mask.working')} /> : null}
      </h3>
      <ProductSelectionNote />

      <div className="field">
        <span className="field-label">{t('mask.color')}</span>
        <div className="swatches">
          {MASK_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              className={`swatch${settings.maskColor.toLowerCase() === c ? ' on' : ''}`}
              style={{ background: c }}
              aria-label={c}
              onClick={() => void ed.updateSettings({ maskColor: c })}
            />
          ))}
          <input
            type="color"
            className="color-input"
            value={settings.maskColor}
            aria-label={t('mask.color')}
            onChange={(e) => void ed.updateSettings({ maskColor: e.target.value })}
            data-testid="mask-color"
          />
        </div>
      </div>
      <Slider
        label={t('mask.opacity')}
        value={Math.round(settings.maskOpacity * 100)}
        min={10}
        max={100}
        onChange={(v) => void ed.updateSettings({ maskOpacity: v / 100 })}
        display={`${Math.round(settings.maskOpacity * 100)}%`}
        testId="mask-opacity"
      />

      <div className="mask-morph">
        <input
          className="num-input"
          type="number"
          min={1}
          max={200}
          value={px}
          onChange={(e) => setPx(Math.max(1, Math.min(200, Number(e.target.value) || 1)))}
          aria-label={t('mask.amount')}
          data-testid="mask-amount"
        />
        <MorphButton label={t('mask.grow')} disabled={morphDisabled} reason={reason} onClick={() => void growMask(ed, px)} testId="mask-grow" />
        <MorphButton label={t('mask.shrink')} disabled={morphDisabled} reason={reason} onClick={() => void shrinkMask(ed, px)} testId="mask-shrink" />
        <MorphButton label={t('mask.feather')} disabled={morphDisabled} reason={reason} onClick={() => void featherMask(ed, px)} testId="mask-feather" />
      </div>
      <div className="mask-grid">
        <button type="button" className="btn small" disabled={!canEdit} onClick={() => run('mask.invert')} data-testid="mask-invert">
          <FlipHorizontal2 size={14} />
          {t('mask.invert')}
        </button>
        <button type="button" className="btn small" disabled={!getAction('mask.clear').enabled(state)} onClick={() => run('mask.clear')} data-testid="mask-clear">
          <Trash2 size={14} />
          {t('mask.clear')}
        </button>
        <button type="button" className="btn small" disabled={!canEdit} onClick={() => run('mask.import')} data-testid="mask-import">
          <Upload size={14} />
          {t('mask.import')}
        </button>
        <button type="button" className="btn small" disabled={!getAction('mask.export').enabled(state)} onClick={() => run('mask.export')} data-testid="mask-export">
          <Download size={14} />
          {t('mask.export')}
        </button>
      </div>
    </section>
  );
}

function MorphButton(p: { label: string; disabled: boolean; reason: string | undefined; onClick: () => void; testId: string }) {
  return (
    <Tooltip label={p.label} warning={p.disabled ? p.reason : undefined} placement="top">
      <button type="button" className="btn small" style={{ width: '100%', padding: 0 }} disabled={p.disabled} onClick={p.onClick} data-testid={p.testId}>
        {p.label}
      </button>
    </Tooltip>
  );
}
