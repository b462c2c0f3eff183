import { Eraser, ScanText, SquarePlus, X } from 'lucide-react';
import type { TextRegionPayload } from '../../../../preload/contract/detect';
import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { useAction } from '../../app/use-action';
import { IconButton } from '../../components/IconButton';
import { Tooltip } from '../../components/Tooltip';
import { useT } from '../../i18n/i18n-context';
import './text-regions.css';

/**
 * The regions "Detect text" proposed for the image on screen: a checkbox per region (number, the
 * copy when it was read, confidence), all/none, and the two ways to use them. Shown only while the
 * proposal applies to the image on screen; "no text found" is said here too.
 */
export function TextRegionsPanel() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const state = useSession((s) => s.textRegions);
  const hover = useSession((s) => s.textHover);
  const add = useAction('addTextMask');
  const erase = useAction('eraseText');
  if (!state || !ed.textRegions.visible()) return null;
  const on = state.enabled.filter(Boolean).length;
  const total = state.regions.length;
  const s = erase.state.session;
  const reason = s.job ? t('text.busy') : on === 0 ? t('text.noneSelected') : s.connection !== 'connected' ? t('error.disconnected') : undefined;

  return (
    <section className="panel text-regions" aria-labelledby="text-regions-title" data-testid="text-regions-panel">
      <h3 className="panel-title" id="text-regions-title">
        <span className="text-regions-title">
          <ScanText size={14} />
          {t('text.title')}
        </span>
        <IconButton icon={X} label={t('text.dismiss')} onClick={() => ed.textRegions.dismiss()} size={14} placement="bottom-end" testId="text-regions-dismiss" />
      </h3>
      {total === 0 ? (
        <div className="text-regions-empty" data-testid="text-regions-empty">
          <strong>{t('text.empty')}</strong>
          <span>{t('text.emptyHint')}</span>
        </div>
      ) : (
        <>
          <div className="text-regions-bar">
            <span data-testid="text-regions-count">{t('text.selected', { on, total })}</span>
            <span className="text-regions-bulk">
              <button type="button" className="btn ghost small" disabled={on === total} onClick={() => ed.textRegions.setAll(true)} data-testid="text-regions-all">
                {t('text.all')}
              </button>
              <button type="button" className="btn ghost small" disabled={on === 0} onClick={() => ed.textRegions.setAll(false)} data-testid="text-regions-none">
                {t('text.none')}
              </button>
            </span>
          </div>
          <ul className="text-region-list" onMouseLeave={() => ed.textRegions.hover(null)}>
            {state.regions.map((r, i) => (
              <RegionRow key={r.id} region={r} enabled={!!state.enabled[i]} hovered={hover === r.id} />
            ))}
          </ul>
          <p className="panel-note">{state.cropsReady ? t('text.hint') : t('text.loading')}</p>
          <div className="text-regions-actions">
            <Tooltip label={add.label} hint={t('action.addTextMaskHint')} warning={add.enabled ? undefined : reason} placement="top">
              <button type="button" className="btn small" disabled={!add.enabled} onClick={add.perform} data-testid="text-regions-add">
                <SquarePlus size={14} />
                {add.label}
              </button>
            </Tooltip>
            <Tooltip label={erase.label} shortcut={erase.shortcut} hint={t('action.eraseTextHint')} warning={erase.enabled ? undefined : reason} placement="top">
              <button type="button" className="btn small primary" disabled={!erase.enabled} onClick={erase.perform} data-testid="text-regions-erase">
                <Eraser size={14} />
                {erase.label}
              </button>
            </Tooltip>
          </div>
        </>
      )}
    </section>
  );
}

function RegionRow({ region, enabled, hovered }: { region: TextRegionPayload; enabled: boolean; hovered: boolean }) {
  const ed = useEditor();
  const t = useT();
  const label = region.text?.trim() || t('text.region', { n: region.id });
  return (
    <li className={`text-region-row${enabled ? '' : ' off'}${hovered ? ' hovered' : ''}`} onMouseEnter={() => ed.textRegions.hover(region.id)} data-testid={`text-region-${region.id}`}>
      <label>
        <input type="checkbox" checked={enabled} onChange={(e) => ed.textRegions.setEnabled(region.id, e.target.checked)} data-testid={`text-region-check-${region.id}`} />
        <span className="text-region-num">{region.id}</span>
        <span className={`text-region-text${region.text ? '' : ' unread'}`} title={region.text ?? undefined}>
          {label}
        </span>
        <span className="text-region-score">{t('text.score', { pct: Math.round(region.score * 100) })}</span>
      </label>
    </li>
  );
}
