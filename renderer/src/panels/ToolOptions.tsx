import { useEditor, useSession } from '../app/editor-context';
import { Slider } from '../components/Slider';
import { BRUSH_MAX, BRUSH_MIN } from '../editor/session-state';
import { useT } from '../i18n/i18n-context';

/** Options of the active tool: size/hardness for brush and eraser, add/subtract for shapes. */
export function ToolOptions() {
  const ed = useEditor();
  const t = useT();
  const tool = useSession((s) => s.tool);
  const size = useSession((s) => s.brushSize);
  const hardness = useSession((s) => s.brushHardness);
  const mode = useSession((s) => s.shapeMode);
  const title = {
    brush: t('tool.brush'),
    eraser: t('tool.eraser'),
    rect: t('tool.rect'),
    lasso: t('tool.lasso'),
    hand: t('tool.hand'),
  }[tool];

  return (
    <section className="panel" data-testid="tool-options">
      <h3 className="panel-title">
        {t('options.title')} <span style={{ textTransform: 'none', fontWeight: 500, color: 'var(--text)' }}>{title}</span>
      </h3>
      {tool === 'brush' || tool === 'eraser' ? (
        <>
          <Slider label={t('options.size')} value={size} min={BRUSH_MIN} max={BRUSH_MAX} onChange={(v) => ed.setBrushSize(v)} numberBox testId="brush-size" />
          <Slider
            label={t('options.hardness')}
            value={Math.round(hardness * 100)}
            min={0}
            max={100}
            onChange={(v) => ed.setBrushHardness(v / 100)}
            display={`${Math.round(hardness * 100)}%`}
            testId="brush-hardness"
          />
          <div className="field-hint">{t('options.sizeHint')}</div>
        </>
      ) : null}
      {tool === 'rect' || tool === 'lasso' ? (
        <div className="field">
          <span className="field-label">{t('options.mode')}</span>
          <div className="segmented" role="radiogroup" aria-label={t('options.mode')}>
            <button type="button" role="radio" aria-checked={mode === 'add'} className={mode === 'add' ? 'on' : ''} onClick={() => ed.session.set({ shapeMode: 'add' })} data-testid="shape-mode-add">
              {t('options.modeAdd')}
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={mode === 'subtract'}
              className={mode === 'subtract' ? 'on' : ''}
              onClick={() => ed.session.set({ shapeMode: 'subtract' })}
              data-testid="shape-mode-subtract"
            >
              {t('options.modeSubtract')}
            </button>
          </div>
          <div className="field-hint">{tool === 'rect' ? t('tool.rectHint') : t('tool.lassoHint')}</div>
        </div>
      ) : null}
      {tool === 'hand' ? <div className="field-hint">{t('options.handInfo')}</div> : null}
    </section>
  );
}
