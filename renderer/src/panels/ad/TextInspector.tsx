import { useEffect, useState } from 'react';
import { useEditor } from '../../app/editor-context';
import { editText } from '../../editor/ad/ad-flow-edit';
import type { TextRecord } from '../../document/ad-records';
import { AD_FONT_FAMILIES, findAdFont, loadAdFont, nearestWeight } from '../../fonts/ad-fonts';
import { useLang, useT } from '../../i18n/i18n-context';
import { AdColor } from './AdColor';
import { AdSlider } from './AdSlider';
import { AdToggle } from './AdToggle';
import { useGesture } from './use-layer-edit';

type Props = TextRecord['props'];
const ALIGNS = [
  ['left', 'ad.text.alignLeft'],
  ['center', 'ad.text.alignCenter'],
  ['right', 'ad.text.alignRight'],
] as const;

/** The selected text layer: words, font, weight, size, colour, outline, shadow, spacing, alignment. */
export function TextInspector({ text }: { text: TextRecord }) {
  const ed = useEditor();
  const t = useT();
  const lang = useLang();
  const wordsG = useGesture('ad.history.text');
  const styleG = useGesture('ad.history.textStyle');
  const p = text.props;
  const [words, setWords] = useState(p.text);
  // Follow undo/redo and canvas edits unless the user is typing here.
  useEffect(() => {
    if (!wordsG.active()) setWords(p.text);
  }, [p.text, wordsG]);

  const edit = (fn: (p: Props) => Props, label = 'ad.history.textStyle') => {
    const store = ed.store();
    if (store) editText(store, label, text.id, fn);
  };
  const set = (patch: Partial<Props>) => edit((x) => ({ ...x, ...patch }));
  const family = findAdFont(p.font.family);
  const weights = family?.weights ?? [p.font.weight];

  // Surface a font that will not load here (the canvas would silently draw a fallback).
  const applyFont = (familyId: string, weight: number) => {
    loadAdFont(familyId, weight).catch((err: unknown) => ed.fail('ad.error.font', err));
    edit((x) => ({ ...x, font: { ...x.font, family: familyId, weight } }));
  };

  return (
    <section className="panel ad-panel" data-testid="ad-text-inspector">
      <h3 className="panel-title">{t('ad.text.title')}</h3>
      <label className="field">
        <span className="field-label">{t('ad.text.words')}</span>
        <textarea
          className="text-input ad-words"
          rows={3}
          maxLength={2000}
          value={words}
          onFocus={() => wordsG.begin()}
          onBlur={() => {
            wordsG.end();
            setWords(p.text);
          }}
          onChange={(e) => {
            const v = e.target.value;
            setWords(v);
            // A text layer always has words: an emptied box keeps the last ones until typed again.
            if (v.trim() !== '') edit((x) => ({ ...x, text: v }), 'ad.history.text');
          }}
          data-testid="text-words"
        />
      </label>
      <div className="ad-row">
        <label className="field ad-grow">
          <span className="field-label">{t('ad.text.font')}</span>
          <select className="select" value={p.font.family} onChange={(e) => applyFont(e.target.value, nearestWeight(findAdFont(e.target.value)!, p.font.weight))} data-testid="text-font">
            {family ? null : <option value={p.font.family}>{p.font.family}</option>}
            {AD_FONT_FAMILIES.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('ad.text.weight')}</span>
          <select className="select" value={p.font.weight} onChange={(e) => applyFont(p.font.family, Number(e.target.value))} data-testid="text-weight">
            {weights.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AdSlider label={t('ad.text.size')} value={p.font.size} min={8} max={400} step={1} display={`${Math.round(p.font.size)} px`} gesture={styleG} onChange={(v) => edit((x) => ({ ...x, font: { ...x.font, size: v } }))} testId="text-size" />
      <AdColor label={t('ad.text.color')} value={p.color} gesture={styleG} onChange={(c) => set({ color: c })} testId="text-color" />
      <div className="field">
        <span className="field-label">{t('ad.text.align')}</span>
        <div className="segmented" role="group" aria-label={t('ad.text.align')}>
          {ALIGNS.map(([a, key]) => (
            <button key={a} type="button" className={p.align === a ? 'on' : ''} aria-pressed={p.align === a} onClick={() => set({ align: a })} data-testid={`text-align-${a}`}>
              {t(key)}
            </button>
          ))}
        </div>
      </div>
      <AdSlider label={t('ad.text.lineHeight')} value={p.lineHeight} min={0.5} max={3} step={0.05} display={p.lineHeight.toFixed(2)} gesture={styleG} onChange={(v) => set({ lineHeight: v })} testId="text-line-height" />
      <AdSlider label={t('ad.text.letterSpacing')} value={p.letterSpacing} min={-20} max={100} step={0.5} display={`${p.letterSpacing} px`} gesture={styleG} onChange={(v) => set({ letterSpacing: v })} testId="text-letter-spacing" />

      <div className="ad-group">
        <AdToggle label={t('ad.text.stroke')} checked={!!p.stroke} onChange={(on) => edit((x) => withStroke(x, on))} testId="text-stroke" />
        {p.stroke ? (
          <>
            <AdColor label={t('ad.product.color')} value={p.stroke.color} gesture={styleG} onChange={(c) => edit((x) => ({ ...x, stroke: { width: x.stroke?.width ?? 4, color: c } }))} testId="text-stroke-color" />
            <AdSlider label={t('ad.text.strokeWidth')} value={p.stroke.width} min={0} max={40} step={0.5} display={`${p.stroke.width} px`} gesture={styleG} onChange={(v) => edit((x) => ({ ...x, stroke: { color: x.stroke?.color ?? '#ffffff', width: v } }))} testId="text-stroke-width" />
          </>
        ) : null}
      </div>

      <div className="ad-group">
        <AdToggle label={t('ad.text.shadow')} checked={!!p.shadow} onChange={(on) => edit((x) => withShadow(x, on))} testId="text-shadow" />
        {p.shadow ? <ShadowControls shadow={p.shadow} edit={edit} /> : null}
      </div>
    </section>
  );
}

function ShadowControls({ shadow, edit }: { shadow: NonNullable<Props['shadow']>; edit: (fn: (p: Props) => Props) => void }) {
  const t = useT();
  const g = useGesture('ad.history.textStyle');
  const set = (patch: Partial<NonNullable<Props['shadow']>>) => edit((x) => ({ ...x, shadow: { ...(x.shadow ?? shadow), ...patch } }));
  return (
    <>
      <AdColor label={t('ad.product.color')} value={shadow.color} gesture={g} onChange={(c) => set({ color: c })} testId="text-shadow-color" />
      <AdSlider label={t('ad.text.blur')} value={shadow.blur} min={0} max={60} step={0.5} display={`${shadow.blur} px`} gesture={g} onChange={(v) => set({ blur: v })} testId="text-shadow-blur" />
      <AdSlider label={t('ad.text.offsetX')} value={shadow.offsetX} min={-50} max={50} step={1} display={`${shadow.offsetX} px`} gesture={g} onChange={(v) => set({ offsetX: v })} testId="text-shadow-x" />
      <AdSlider label={t('ad.text.offsetY')} value={shadow.offsetY} min={-50} max={50} step={1} display={`${shadow.offsetY} px`} gesture={g} onChange={(v) => set({ offsetY: v })} testId="text-shadow-y" />
      <AdSlider label={t('ad.product.opacity')} value={shadow.opacity} min={0} max={1} step={0.01} display={`${Math.round(shadow.opacity * 100)}%`} gesture={g} onChange={(v) => set({ opacity: v })} testId="text-shadow-opacity" />
    </>
  );
}

/** Outline on: white, 8 % of the size (readable over busy backdrops); off: removed. */
function withStroke(p: Props, on: boolean): Props {
  if (!on) {
    const { stroke: _drop, ...rest } = p;
    return rest;
  }
  return { ...p, stroke: { color: '#ffffff', width: Math.max(1, Math.round(p.font.size * 0.08)) } };
}

function withShadow(p: Props, on: boolean): Props {
  if (!on) {
    const { shadow: _drop, ...rest } = p;
    return rest;
  }
  return { ...p, shadow: { color: '#000000', blur: 6, offsetX: 0, offsetY: 3, opacity: 0.35 } };
}
