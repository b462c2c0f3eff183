import type Konva from 'konva';
import type { RefObject } from 'react';
import { Circle, Group, Layer, Line, Rect } from 'react-konva';
import { useSession } from '../app/editor-context';

interface ToolLayerProps {
  zoom: number;
  /** Moved imperatively on pointer move (no React render per move). */
  cursorRef: RefObject<Konva.Group | null>;
  layerRef: RefObject<Konva.Layer | null>;
}

const SUBTRACT = '#ff6b6b';
const ADD = '#ffffff';

/** Brush cursor (exact brush size, black+white ring so it shows on any photo) and shape previews. */
export function ToolLayer({ zoom, cursorRef, layerRef }: ToolLayerProps) {
  const tool = useSession((s) => s.tool);
  const size = useSession((s) => s.brushSize);
  const hardness = useSession((s) => s.brushHardness);
  const preview = useSession((s) => s.preview);
  const comparing = useSession((s) => !!s.compare);
  const showBrush = (tool === 'brush' || tool === 'eraser') && !comparing;
  const r = size / 2;
  const dash = [6 / zoom, 4 / zoom];
  return (
    <Layer ref={layerRef} listening={false}>
      {preview?.kind === 'rect' ? (
        <>
          <Rect {...rectOf(preview)} stroke="black" strokeWidth={3} strokeScaleEnabled={false} opacity={0.6} />
          <Rect {...rectOf(preview)} stroke={preview.subtract ? SUBTRACT : ADD} strokeWidth={1.5} strokeScaleEnabled={false} dash={dash} />
        </>
      ) : null}
      {preview?.kind === 'lasso' ? (
        <>
          <Line points={preview.points} closed stroke="black" strokeWidth={3} strokeScaleEnabled={false} opacity={0.6} />
          <Line points={preview.points} closed stroke={preview.subtract ? SUBTRACT : ADD} strokeWidth={1.5} strokeScaleEnabled={false} dash={dash} />
        </>
      ) : null}
      <Group ref={cursorRef} visible={false}>
        {showBrush ? (
          <>
            <Circle radius={r} stroke="black" strokeWidth={3} strokeScaleEnabled={false} opacity={0.55} />
            <Circle radius={r} stroke={tool === 'eraser' ? SUBTRACT : ADD} strokeWidth={1.25} strokeScaleEnabled={false} />
            {hardness < 0.95 ? (
              <Circle radius={Math.max(0.5, r * hardness)} stroke={ADD} strokeWidth={1} strokeScaleEnabled={false} opacity={0.45} dash={[3 / zoom, 3 / zoom]} />
            ) : null}
            <Circle radius={1.5 / zoom} fill={ADD} stroke="black" strokeWidth={0.75} strokeScaleEnabled={false} />
          </>
        ) : null}
      </Group>
    </Layer>
  );
}

function rectOf(p: { x: number; y: number; width: number; height: number }) {
  return { x: p.x, y: p.y, width: p.width, height: p.height };
}
