import type Konva from 'konva';
import { useLayoutEffect, useRef, useState } from 'react';
import { Layer } from 'react-konva';
import { useEditor } from '../app/editor-context';
import type { MaskRecord } from '../document/records';
import type { Viewport } from '../editor/viewport';
import { MaskView } from './mask-view';

interface MaskLayerProps {
  mask: MaskRecord;
  hidden: boolean;
  viewport: Viewport;
  view: { width: number; height: number };
}

/**
 * The mask as a coloured overlay. Konva only provides a canvas in the right stacking order (above
 * the photo, below the brush cursor): the layer has no shapes and is never cleared by Konva, and
 * MaskView paints the mask into it in screen pixels — dirty rects while painting, the whole canvas
 * when the view moves. React re-renders this only when the document or the view changes.
 */
export function MaskLayer({ mask, hidden, viewport, view }: MaskLayerProps) {
  const ed = useEditor();
  const layer = useRef<Konva.Layer>(null);
  const [maskView, setMaskView] = useState<MaskView | null>(null);

  useLayoutEffect(() => {
    const node = layer.current;
    if (!node) return;
    const stage = node.getStage();
    const mv = new MaskView(node.getNativeCanvasElement(), {
      mask: () => ed.mask.live,
      appearance: () => ed.mask.appearance(),
      // What Konva draws the photo with this frame (the stage's props are applied before layout effects).
      mapping: () => ({ zoom: stage.scaleX(), x: stage.x(), y: stage.y(), pixelRatio: node.getCanvas().getPixelRatio() }),
    });
    const off = ed.mask.onRepaint((rect) => mv.invalidate(rect));
    setMaskView(mv);
    return () => {
      off();
      mv.dispose();
    };
  }, [ed]);

  // The view moved or was resized (Konva cleared the canvas): redraw it all at the next frame.
  useLayoutEffect(() => {
    maskView?.invalidate(null);
  }, [maskView, viewport.zoom, viewport.x, viewport.y, view.width, view.height, mask.id, mask.props.width, mask.props.height]);

  return <Layer ref={layer} listening={false} clearBeforeDraw={false} visible={mask.visible && !hidden} />;
}
