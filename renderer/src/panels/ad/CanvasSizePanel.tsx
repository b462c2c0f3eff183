import { useState } from 'react';
import { EXPORT_PRESET_IDS, EXPORT_PRESETS } from '../../../../preload/contract/ad-layout';
import { useDocVersion, useEditor } from '../../app/editor-context';
import { checkAdSize } from '../../editor/ad/ad-flow-resize';
import { resizeOpenAd } from '../../editor/ad/ad-flow-resize-apply';
import { useT } from '../../i18n/i18n-context';

/** Ad presets and a custom W×H (checked against LIMITS); one undo step, layers keep their places. */
export function CanvasSizePanel() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const doc = ed.document();
  const [w, setW] = useState('');
  const [h, setH] = useState('');
  if (!doc) return null;
  const customW = w === '' ? doc.width : Number(w);
  const customH = h === '' ? doc.height : Number(h);
  const error = checkAdSize(customW, customH);

  return (
    <section className="panel ad-panel" data-testid="ad-canvas-size">
      <h3 className="panel-title">{t('ad.size.title')}</h3>
      <p className="field-hint" data-testid="ad-size-current">
        {t('ad.size.current', { w: doc.width, h: doc.height })}
      </p>
      <div className="ad-presets">
        {EXPORT_PRESET_IDS.map((id) => {
          const p = EXPORT_PRESETS[id];
          const on = p.width === doc.width && p.height === doc.height;
          return (
            <button key={id} type="button" className={`btn small${on ? ' on' : ''}`} aria-pressed={on} onClick={() => resizeOpenAd(ed, p)} data-testid={`ad-size-${id}`}>
              {t(`ad.size.preset.${id}`)}
            </button>
          );
        })}
      </div>
      <div className="ad-row">
        <label className="field">
          <span className="field-label">{t('ad.size.width')}</span>
          <input className="num-input" type="number" min={16} step={1} value={w === '' ? doc.width : w} onChange={(e) => setW(e.target.value)} data-testid="ad-size-width" />
        </label>
        <span className="ad-times">×</span>
        <label className="field">
          <span className="field-label">{t('ad.size.height')}</span>
          <input className="num-input" type="number" min={16} step={1} value={h === '' ? doc.height : h} onChange={(e) => setH(e.target.value)} data-testid="ad-size-height" />
        </label>
        <button
          type="button"
          className="btn small"
          disabled={!!error}
          onClick={() => {
            resizeOpenAd(ed, { width: customW, height: customH });
            setW('');
            setH('');
          }}
          data-testid="ad-size-apply"
        >
          {t('ad.size.apply')}
        </button>
      </div>
      {error ? (
        <p className="error-text" role="alert" data-testid="ad-size-error">
          {t(error)}
        </p>
      ) : null}
    </section>
  );
}
