import type Konva from 'konva';
import { useEffect, useRef, type RefObject } from 'react';
import { Transformer } from 'react-konva';
import type { Editor } from '../../editor/editor';
import { snapResize, snapTargets, type Box, type SnapTargets } from '../../editor/ad/snapping';
import { isSideAnchor, minWrapWidth, SIDE_ANCHORS, wrapWidthAfterStretch } from '../../editor/ad/text-wrap';
import type { Viewport } from '../../editor/viewport';
import { nodeBox, nodeTransform } from './node-geometry';
import { SNAP_PX } from './use-layer-events';

interface Props {
  ed: Editor;
  node: Konva.Node | null;
  locked: boolean;
  viewport: Viewport;
  nodes: RefObject<Map<string, Konva.Node>>;
  scene: RefObject<Konva.Group | null>;
  /** The selection is copy of this font size (side anchors set its wrap width); null for a product. */
  text: { fontSize: number } | null;
}

const CORNERS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
const TEXT_ANCHORS = [...CORNERS, ...SIDE_ANCHORS];

/**
 * Scale (aspect kept, from the corners) and rotate the selected layer. One gesture per transform;
 * while unrotated, the moving corner snaps to the same lines as a drag. On copy the side anchors
 * change the wrap width instead (the glyphs keep their size, the words re-flow).
 */
export function SelectionTransformer({ ed, node, locked, viewport, nodes, scene, text }: Props) {
  const tr = useRef<Konva.Transformer>(null);
  /** The record's scale when the gesture started (side drags hand it back to the node: Konva's box maths drifts by float noise). */
  const baseScale = useRef({ x: 1, y: 1 });
  const fontSize = useRef(text?.fontSize ?? null);
  fontSize.current = text?.fontSize ?? null;
  const targets = useRef<SnapTargets | null>(null);
  const vp = useRef(viewport);
  vp.current = viewport;

  useEffect(() => {
    tr.current?.nodes(node ? [node] : []);
    tr.current?.getLayer()?.batchDraw();
  }, [node]);

  useEffect(() => ed.ad.onCancel(() => tr.current?.stopTransform()), [ed]);

  if (!node) return null;
  const id = node.id();
  const current = node;
  /** Record what the node now shows; a side drag on copy becomes a wrap width at the old scale. */
  function update(): void {
    const fs = fontSize.current;
    const anchor = tr.current?.getActiveAnchor() ?? '';
    if (fs === null || !isSideAnchor(anchor)) {
      ed.ad.updateGesture(nodeTransform(current));
      return;
    }
    const base = baseScale.current;
    const width = wrapWidthAfterStretch(current.width(), base.x, current.scaleX(), minWrapWidth(fs));
    current.setAttrs({ width, scaleX: base.x, scaleY: base.y, wrap: 'word' });
    ed.ad.updateTextWrap(nodeTransform(current), width);
  }
  return (
    <Transformer
      ref={tr}
      name="ad-transformer"
      keepRatio
      enabledAnchors={locked ? [] : text ? TEXT_ANCHORS : CORNERS}
      rotateEnabled={!locked}
      rotationSnaps={[0, 45, 90, 135, 180, 225, 270, 315]}
      rotationSnapTolerance={4}
      anchorSize={10}
      borderStroke="#3b82f6"
      anchorStroke="#3b82f6"
      ignoreStroke
      flipEnabled={false}
      onTransformStart={() => {
        const doc = ed.document();
        const group = scene.current;
        if (!doc || !group) return;
        const others = [...nodes.current.entries()].filter(([k, n]) => k !== id && n.isVisible()).map(([, n]) => nodeBox(n, group));
        targets.current = snapTargets(doc.width, doc.height, others);
        baseScale.current = { x: node.scaleX(), y: node.scaleY() };
        ed.ad.beginGesture(id, isSideAnchor(tr.current?.getActiveAnchor() ?? '') && fontSize.current !== null ? 'wrap' : 'transform');
      }}
      onTransform={() => {
        if (ed.ad.inGesture()) update();
      }}
      onTransformEnd={() => {
        if (!ed.ad.inGesture()) return;
        update();
        ed.ad.endGesture();
        targets.current = null;
      }}
      boundBoxFunc={(oldBox, newBox) => {
        if (newBox.width < 4 || newBox.height < 4) return oldBox;
        const anchor = tr.current?.getActiveAnchor() ?? '';
        const fs = fontSize.current;
        // Narrower than a glyph: keep the last box (clamping the width alone would shift a left drag).
        if (fs !== null && isSideAnchor(anchor) && newBox.width < minWrapWidth(fs) * Math.abs(node.getAbsoluteScale().x)) return oldBox;
        const t = targets.current;
        if (!t || Math.abs(newBox.rotation) > 1e-3 || !CORNERS.includes(anchor)) {
          ed.ad.setGuides([]);
          return newBox;
        }
        // Boxes here are in stage (screen) px; snapping works in canvas px.
        const { zoom, x: ox, y: oy } = vp.current;
        const box: Box = { x0: (newBox.x - ox) / zoom, y0: (newBox.y - oy) / zoom, x1: (newBox.x + newBox.width - ox) / zoom, y1: (newBox.y + newBox.height - oy) / zoom };
        const moving = { x: anchor.endsWith('left') ? ('left' as const) : ('right' as const), y: anchor.startsWith('top') ? ('top' as const) : ('bottom' as const) };
        const snapped = snapResize(box, moving, t, SNAP_PX / zoom);
        ed.ad.setGuides(snapped.guides);
        const b = snapped.box;
        return { ...newBox, x: b.x0 * zoom + ox, y: b.y0 * zoom + oy, width: (b.x1 - b.x0) * zoom, height: (b.y1 - b.y0) * zoom };
      }}
    />
  );
}
