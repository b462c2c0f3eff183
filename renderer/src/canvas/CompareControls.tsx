import { Check, ChevronsLeftRight, Undo2 } from 'lucide-react';
import { useRef } from 'react';
import { useEditor } from '../app/editor-context';
import { madeByName } from '../editor/methods/method-names';
import type { CompareState } from '../editor/session-state';
import type { Viewport } from '../editor/viewport';
import { useT } from '../i18n/i18n-context';

interface Props {
  compare: CompareState;
  viewport: Viewport;
  image: { width: number; height: number };
  view: { width: number; height: number };
}

const KEY_MARK = '\u0001';

/** Put a <kbd> where the translation has the key placeholder (word order differs by language). */
function withKbd(text: string, key: string) {
  const [before, after] = text.split(KEY_MARK);
  return (
    <>
      {before}
      <kbd>{key}</kbd>
      {after}
    </>
  );
}

/** Before | after: the split divider over the canvas, the corner tags and the accept/discard bar. */
export function CompareControls({ compare, viewport, image, view }: Props) {
  const ed = useEditor();
  const t = useT();
  const dragging = useRef(false);
  const left = viewport.x + image.width * viewport.zoom * (compare.holding ? 1 : compare.split);
  const top = Math.max(0, viewport.y);
  const bottom = Math.min(view.height, viewport.y + image.height * viewport.zoom);
  const imgLeft = Math.max(8, viewport.x + 8);
  const imgRight = Math.min(view.width - 8, viewport.x + image.width * viewport.zoom - 8);

  const setSplit = (split: number) => {
    const cmp = ed.session.get().compare;
    if (cmp) ed.session.set({ compare: { ...cmp, split: Math.min(1, Math.max(0, split)) } });
  };
  const splitAt = (clientX: number, el: HTMLElement) => {
    const host = el.parentElement?.getBoundingClientRect();
    if (!host) return;
    const vp = ed.session.get().viewport;
    setSplit((clientX - host.left - vp.x) / (image.width * vp.zoom));
  };

  return (
    <>
      {!compare.holding ? (
        <div
          className="compare-divider"
          style={{ left, top, height: Math.max(0, bottom - top) }}
          onPointerDown={(e) => {
            dragging.current = true;
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => dragging.current && splitAt(e.clientX, e.currentTarget)}
          onPointerUp={() => (dragging.current = false)}
          data-testid="compare-divider"
        >
          <span className="compare-handle">
            <ChevronsLeftRight size={16} />
          </span>
        </div>
      ) : null}
      <span className="canvas-float compare-tag" style={{ left: imgLeft, top: top + 10 }}>
        {t('compare.before')}
      </span>
      {!compare.holding ? (
        <span className="canvas-float compare-tag" style={{ left: imgRight, top: top + 10, transform: 'translateX(-100%)' }}>
          {t('compare.after')}
        </span>
      ) : null}
      <div className="canvas-float compare-bar" data-testid="compare-bar">
        <span className="label">{t('compare.title')}</span>
        <MadeBy compare={compare} />
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={Math.round(compare.split * 100)}
          onChange={(e) => setSplit(Number(e.target.value) / 100)}
          aria-label={t('compare.split')}
          data-testid="compare-slider"
        />
        <span className="hint">{withKbd(t('compare.hold', { key: KEY_MARK }), '\\')}</span>
        <button type="button" className="btn small" onClick={() => void ed.jobs.discard()} data-testid="compare-discard">
          <Undo2 size={14} />
          {t('compare.discard')}
        </button>
        <button type="button" className="btn small primary" onClick={() => ed.jobs.accept()} data-testid="compare-accept">
          <Check size={14} />
          {t('compare.accept')}
        </button>
      </div>
    </>
  );
}

/** Which method made the result on the "after" side, e.g. "LaMa(으)로 지움". */
function MadeBy({ compare }: { compare: CompareState }) {
  const ed = useEditor();
  const t = useT();
  const record = ed.store()?.document().records[compare.imageId];
  const by = record?.type === 'image' && record.props.asset === compare.after ? madeByName(record.props.madeBy) : null;
  if (!by) return null;
  return (
    <span className="hint" data-testid="compare-made-by">
      {t('methods.madeBy', { method: by })}
    </span>
  );
}
