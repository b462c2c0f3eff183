import type Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import type { TextRecord } from '../../document/ad-records';
import type { Editor } from '../../editor/editor';
import type { Viewport } from '../../editor/viewport';
import { useT } from '../../i18n/i18n-context';

interface Props {
  ed: Editor;
  record: TextRecord;
  node: Konva.Node | null;
  viewport: Viewport;
}

/**
 * Editing ad copy on the canvas: a textarea laid exactly over the text node (position, scale,
 * rotation, font, spacing). Ctrl/Cmd+Enter or leaving the field commits (one undo step); Escape
 * cancels. IME composition (Korean) is left alone.
 */
export function TextEditOverlay({ ed, record, node, viewport }: Props) {
  const t = useT();
  const area = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(record.props.text);
  const done = useRef(false);

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.select();
  }, []);

  const finish = (commit: boolean) => {
    if (done.current) return;
    done.current = true;
    if (commit) ed.ad.commitText(record.id, value);
    else ed.ad.cancelTextEdit();
  };

  const p = record.props;
  const tr = record.transform;
  const k = viewport.zoom;
  const width = (p.width ?? (node ? node.width() : 200)) + 4;
  const height = (node ? node.height() : p.font.size * p.lineHeight) + p.font.size * 0.5;
  return (
    <textarea
      ref={area}
      className="ad-text-editor"
      data-testid="ad-text-editor"
      aria-label={t('adCanvas.action.editText')}
      title={t('adCanvas.textEditHint')}
      value={value}
      spellCheck={false}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={(e) => {
        if (e.nativeEvent.isComposing) return;
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          finish(false);
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          e.stopPropagation();
          finish(true);
        }
      }}
      style={{
        position: 'absolute',
        left: tr.x * k + viewport.x,
        top: tr.y * k + viewport.y,
        width,
        height,
        transformOrigin: '0 0',
        transform: `rotate(${tr.rotation}deg) scale(${tr.scaleX * k}, ${tr.scaleY * k})`,
        margin: 0,
        padding: 0,
        border: '1px dashed #3b82f6',
        outline: 'none',
        resize: 'none',
        overflow: 'hidden',
        background: 'rgba(255,255,255,0.08)',
        color: p.color,
        fontFamily: `"${p.font.family}"`,
        fontWeight: p.font.weight,
        fontSize: p.font.size,
        lineHeight: p.lineHeight,
        letterSpacing: p.letterSpacing,
        textAlign: p.align,
        whiteSpace: p.width === undefined ? 'pre' : 'pre-wrap',
        zIndex: 5,
      }}
    />
  );
}
