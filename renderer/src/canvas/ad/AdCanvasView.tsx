import type Konva from 'konva';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Group, Layer, Rect, Stage } from 'react-konva';
import { useDocVersion, useEditor, useSession } from '../../app/editor-context';
import { adParts } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';
import { ZoomControl } from '../ZoomControl';
import { AdScene } from './AdScene';
import { AdToolbar } from './AdToolbar';
import { Guides } from './GuidesLayer';
import { renderAdCanvas } from './render-ad';
import { SelectionTransformer } from './SelectionTransformer';
import { TextEditOverlay } from './TextEditOverlay';
import { useAdKeys } from './use-ad-keys';
import { useAdViewInput } from './use-ad-view-input';
import { useLayerEvents } from './use-layer-events';
import { useSceneData } from './use-scene-data';
import { useFitToHost } from '../use-fit-to-host';

/**
 * The ad canvas (documents of kind "ad"): a listening react-konva Stage in the session viewport
 * projecting the records — backdrop, products with their shadows and effects, copy — plus the
 * selection transformer and snapping guides. Edits go through ed.ad (records are the truth).
 */
export function AdCanvasView() {
  const ed = useEditor();
  const t = useT();
  useDocVersion();
  const host = useRef<HTMLDivElement>(null);
  const scene = useRef<Konva.Group>(null);
  const nodes = useRef(new Map<string, Konva.Node>());
  const [selectedNode, setSelectedNode] = useState<Konva.Node | null>(null);
  const viewport = useSession((s) => s.viewport);
  const view = useSession((s) => s.viewSize);
  const docSerial = useSession((s) => s.docSerial);
  const selectedId = useSession((s) => s.selectedId);
  const adState = useSyncExternalStore(ed.ad.state.subscribe, ed.ad.state.get);

  const doc = ed.document();
  const parts = useMemo(() => (doc ? adParts(doc) : { background: null, layers: [] }), [doc]);
  const width = doc?.width ?? 1;
  const height = doc?.height ?? 1;
  const fxScene = useMemo(() => ({ width, height, background: parts.background }), [width, height, parts.background]);
  const data = useSceneData(ed, parts, fxScene, adState.gesture !== null);
  const events = useLayerEvents(ed, nodes, scene);
  useAdViewInput(ed, host, t('adCanvas.productName'));
  useAdKeys(ed);

  useFitToHost(ed, host, docSerial);

  // Full-resolution render for the export dialog, while this canvas is mounted.
  useEffect(() => {
    ed.ui.renderAd = () => renderAdCanvas(ed);
    return () => {
      ed.ui.renderAd = null;
    };
  }, [ed]);

  // Escape during a drag: Konva must let go of the node too.
  useEffect(() => ed.ad.onCancel(() => nodes.current.forEach((n) => n.isDragging() && n.stopDrag())), [ed]);

  // Ref callbacks only record nodes (they run on every render); the transformer's target is
  // picked up after the commit, and state changes only when it really changed.
  const bind = useCallback((id: string, node: Konva.Node | null) => {
    if (node) nodes.current.set(id, node);
    else nodes.current.delete(id);
  }, []);

  const selected = selectedId ? parts.layers.find((l) => l.id === selectedId) : undefined;
  useLayoutEffect(() => {
    const node = (selected && nodes.current.get(selected.id)) || null;
    if (node !== selectedNode) setSelectedNode(node);
  });
  const editing = adState.editingTextId ? parts.layers.find((l) => l.id === adState.editingTextId) : undefined;

  return (
    <main className="canvas-area">
      <div ref={host} className="konva-host" data-testid="ad-canvas" aria-label={t('adCanvas.label')}>
        <Stage
          width={view.width}
          height={view.height}
          scaleX={viewport.zoom}
          scaleY={viewport.zoom}
          x={viewport.x}
          y={viewport.y}
          onMouseDown={(e) => {
            // A press on nothing (the backdrop does not listen) clears the selection.
            if (e.target === e.target.getStage()) ed.ad.select(null);
          }}
        >
          <Layer imageSmoothingEnabled={viewport.zoom < 2}>
            <Rect width={width} height={height} fill="#0d0e10" shadowColor="black" shadowBlur={24 / viewport.zoom} shadowOpacity={0.5} listening={false} />
            <Group ref={scene} clipX={0} clipY={0} clipWidth={width} clipHeight={height}>
              <AdScene width={width} height={height} parts={parts} data={data} editingTextId={adState.editingTextId} events={events} bind={bind} />
            </Group>
          </Layer>
          <Layer>
            <Guides guides={adState.guides} zoom={viewport.zoom} />
            {editing ? null : <SelectionTransformer
                ed={ed}
                node={selectedNode}
                locked={!!selected?.locked}
                viewport={viewport}
                nodes={nodes}
                scene={scene}
                text={selected?.type === 'text' ? { fontSize: selected.props.font.size } : null}
              />}
          </Layer>
        </Stage>
      </div>
      {editing?.type === 'text' ? <TextEditOverlay key={editing.id} ed={ed} record={editing} node={nodes.current.get(editing.id) ?? null} viewport={viewport} /> : null}
      <AdToolbar />
      <ZoomControl />
    </main>
  );
}
