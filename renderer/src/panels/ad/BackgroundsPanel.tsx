import { RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { chooseBackground, moreBackgrounds, selectedCandidate } from '../../editor/ad/ad-flow-backgrounds';
import { madeByLabel } from '../../editor/ad/ad-flow-made-by';
import { adParts } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';

/**
 * Background candidates as thumbnails with who made each; a click swaps the ad's background (one
 * undo step). "More" draws another set with the next seed, with the optional prompt (an engine that
 * cannot use a prompt says so, and that notice is shown as the engine wrote it).
 */
export function BackgroundsPanel() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const serial = useSession((s) => s.docSerial);
  const set = useSession((s) => s.adBackgrounds);
  const busy = useSession((s) => s.job !== null);
  const connected = useSession((s) => s.connection === 'connected');
  const [prompt, setPrompt] = useState('');
  const doc = ed.document();
  const background = doc ? adParts(doc).background : null;
  const candidates = set && set.docSerial === serial ? set.candidates : [];
  const current = selectedCandidate(candidates, background);

  return (
    <section className="panel ad-panel" data-testid="ad-backgrounds">
      <h3 className="panel-title">{t('ad.bg.title')}</h3>
      {candidates.length === 0 ? <p className="panel-note">{t('ad.bg.none')}</p> : null}
      <div className="ad-candidates">
        {candidates.map((c, i) => {
          const label = madeByLabel(c.madeBy);
          return (
            <button
              key={`${c.asset.hash}-${i}`}
              type="button"
              className={`ad-candidate${i === current ? ' on' : ''}`}
              aria-pressed={i === current}
              aria-label={t('ad.bg.candidate', { n: i + 1, madeBy: label })}
              title={label}
              onClick={() => chooseBackground(ed, i, t('ad.bg.title'))}
              data-testid={`background-candidate-${i}`}
            >
              <img src={ed.platform.assetUrl(c.asset.hash)} alt="" loading="lazy" draggable={false} />
              <span className="ad-made-by">{label}</span>
            </button>
          );
        })}
      </div>
      {background ? (
        <p className="field-hint" data-testid="background-made-by">
          {t('ad.bg.current', { madeBy: madeByLabel(background.props.madeBy) })}
        </p>
      ) : null}
      <label className="field">
        <span className="field-label">{t('ad.bg.prompt')}</span>
        <input className="text-input" value={prompt} maxLength={2000} placeholder={t('ad.bg.promptPlaceholder')} onChange={(e) => setPrompt(e.target.value)} data-testid="background-prompt" />
      </label>
      <p className="field-hint">{t('ad.bg.promptHint')}</p>
      <button type="button" className="btn" disabled={busy || !connected} title={t('ad.bg.moreHint')} onClick={() => void moreBackgrounds(ed, prompt)} data-testid="background-more">
        <RefreshCw size={15} />
        {t('ad.bg.more')}
      </button>
    </section>
  );
}
