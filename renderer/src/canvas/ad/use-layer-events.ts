import type Konva from 'konva';
import { useMemo, type RefObject } from 'react';
import type { Editor } from '../../editor/editor';
import { snapMove, snapTargets, type SnapTargets } from '../../editor/ad/snapping';
import type { LayerEvents } from './layer-events';
import { nodeBox, nodeTransform } from './node-geometry';

/** Lines pull a dragged edge or centre within this many screen px. */
export const SNAP_PX = 6;

/**
 * Click to select, drag to move with snapping, double-click text to edit. A drag is one gesture:
 * beginGesture on start, one transaction per move (merged), endGesture on drop; Escape (the
 * editor's cancel) bails and stops Konva's drag.
 */
export function useLayerEvents(ed: Editor, nodes: RefObject<Map<string, Konva.Node>>, scene: RefObject<Konva.Group | null>): LayerEvents {
  return useMemo(() => {
    let targets: SnapTargets | null = null;
    const others = (id: string) => {
      const group = scene.current;
      if (!group) return [];
      return [...nodes.current.entries()].filter(([k, n]) => k !== id && n.isVisible()).map(([, n]) => nodeBox(n, group));
    };
    return {
      handlers: (id: string) => ({
        onMouseDown: (e) => {
          if (e.evt.button === 0) ed.ad.select(id);
        },
        onTap: () => ed.ad.select(id),
        onDblClick: () => ed.ad.startTextEdit(id),
        onDragStart: () => {
          const doc = ed.document();
          if (!doc) return;
          targets = snapTargets(doc.width, doc.height, others(id));
          ed.ad.beginGesture(id, 'move');
        },
        onDragMove: (e) => {
          const node = e.target;
          const group = scene.current;
          if (!ed.ad.inGesture() || !group) return;
          if (targets) {
            const zoom = ed.session.get().viewport.zoom;
            const snap = snapMove(nodeBox(node, group), targets, SNAP_PX / zoom);
            if (snap.dx || snap.dy) node.position({ x: node.x() + snap.dx, y: node.y() + snap.dy });
            ed.ad.setGuides(snap.guides);
          }
          ed.ad.updateGesture(nodeTransform(node));
        },
        onDragEnd: (e) => {
          if (!ed.ad.inGesture()) return;
          ed.ad.updateGesture(nodeTransform(e.target));
          ed.ad.endGesture();
          targets = null;
        },
      }),
    };
  }, [ed, nodes, scene]);
}
