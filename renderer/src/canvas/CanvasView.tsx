import type Konva from 'konva';
import { useRef } from 'react';
import { Stage } from 'react-konva';
import { useDocVersion, useEditor, useSession } from '../app/editor-context';
import { isAdDocument } from '../document/ad-records';
import { AdCanvasView } from './ad/AdCanvasView';
import { CompareControls } from './CompareControls';
import { ImageLayer } from './ImageLayer';
import { MaskLayer } from './MaskLayer';
import { TextRegionsLayer } from './TextRegionsLayer';
import { ToolLayer } from './ToolLayer';
import { useCanvasInput } from './use-canvas-input';
import { useImageBitmap } from './use-image-bitmap';
import { ZoomControl } from './ZoomControl';
import { useFitToHost } from './use-fit-to-host';

/** The canvas for the open document: the ad canvas for ads, the photo canvas otherwise. */
export function CanvasView() {
  const ed = useEditor();
  useDocVersion();
  return isAdDocument(ed.document()) ? <AdCanvasView /> : <PhotoCanvasView />;
}

/**
 * The Konva stage: a projection of the document records (image, mask overlay) in the session's
 * viewport, plus tool feedback. Konva is never read back; the records are the truth.
 */
function PhotoCanvasView() {
  const ed = useEditor();
  useDocVersion();
  const host = useRef<HTMLDivElement>(null);
  const cursor = useRef<Konva.Group>(null);
  const toolLayer = useRef<Konva.Layer>(null);
  const viewport = useSession((s) => s.viewport);
  const view = useSession((s) => s.viewSize);
  const docSerial = useSession((s) => s.docSerial);
  const compare = useSession((s) => s.compare);
  const tool = useSession((s) => s.tool);
  const { cursor: cursorStyle } = useCanvasInput(ed, { host, cursor, toolLayer }, { tool, comparing: !!compare });

  useFitToHost(ed, host, docSerial);

  const image = ed.image();
  const mask = ed.maskRecord();
  // Same cache entry ImageLayer draws from: here only to show a spinner until the first frame.
  const bitmap = useImageBitmap(ed, image?.props.asset, false);
  return (
    <main className="canvas-area">
      <div ref={host} className={`konva-host cursor-${cursorStyle}`} data-testid="canvas-container" aria-label={image?.name ?? ''}>
        <Stage width={view.width} height={view.height} scaleX={viewport.zoom} scaleY={viewport.zoom} x={viewport.x} y={viewport.y} listening={false}>
          {image ? <ImageLayer image={image} compare={compare} zoom={viewport.zoom} /> : null}
          {mask ? <MaskLayer mask={mask} hidden={!!compare} viewport={viewport} view={view} /> : null}
          <TextRegionsLayer zoom={viewport.zoom} />
          <ToolLayer zoom={viewport.zoom} cursorRef={cursor} layerRef={toolLayer} />
        </Stage>
      </div>
      {compare && image ? <CompareControls compare={compare} viewport={viewport} image={image.props} view={view} /> : null}
      {image && !bitmap ? (
        <div className="canvas-float canvas-loading">
          <span className="spinner" />
        </div>
      ) : null}
      <ZoomControl />
    </main>
  );
}
