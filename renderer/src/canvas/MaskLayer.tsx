import type Konva from 'konva';
import { useEffect, useRef } from 'react';
import { Image as KImage, Layer } from 'react-konva';
import { useEditor } from '../app/editor-context';
import type { MaskRecord } from '../document/records';

/**
 * The mask as a coloured overlay: the MaskEditor's canvas, redrawn by Konva (batched to one frame)
 * whenever tools repaint a dirty rect. React only re-renders it when the document changes.
 */
export function MaskLayer({ mask, hidden }: { mask: MaskRecord; hidden: boolean }) {
  const ed = useEditor();
  const layer = useRef<Konva.Layer>(null);
  useEffect(() => ed.mask.onRepaint(() => layer.current?.batchDraw()), [ed]);
  const canvas = ed.mask.canvas;
  return (
    <Layer ref={layer} listening={false} imageSmoothingEnabled={false}>
      {canvas ? <KImage image={canvas} width={mask.props.width} height={mask.props.height} visible={mask.visible && !hidden} /> : null}
    </Layer>
  );
}
