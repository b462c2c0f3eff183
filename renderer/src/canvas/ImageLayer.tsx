import type Konva from 'konva';
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { Group, Image as KImage, Layer, Rect } from 'react-konva';
import { testMetrics } from '../app/test-hook';
import type { CompareState } from '../editor/session-state';
import type { ImageRecord } from '../document/records';
import { useEditor } from '../app/editor-context';
import { useImageBitmap } from './use-image-bitmap';

interface ImageLayerProps {
  image: ImageRecord;
  compare: CompareState | null;
  zoom: number;
}

/**
 * The photo (record's current asset) and, in compare mode, the original on top clipped to the left
 * of the split (or everywhere while the hold key is down).
 */
export function ImageLayer({ image, compare, zoom }: ImageLayerProps) {
  const ed = useEditor();
  const { width, height } = image.props;
  const bitmap = useImageBitmap(ed, image.props.asset);
  const before = useImageBitmap(ed, compare?.before ?? null);
  const clipWidth = compare ? (compare.holding ? width : Math.round(width * compare.split)) : 0;
  const layer = useRef<Konva.Layer>(null);
  useFirstPaintMetric(layer, bitmap, width);
  return (
    // Pixels stay crisp when zoomed in (inspecting a fill), smooth when zoomed out.
    <Layer ref={layer} listening={false} imageSmoothingEnabled={zoom < 2}>
      <Rect width={width} height={height} fill="#0d0e10" shadowColor="black" shadowBlur={24 / zoom} shadowOpacity={0.5} />
      {bitmap ? <KImage image={bitmap} width={width} height={height} visible={image.visible} opacity={image.opacity} /> : null}
      {compare && before && clipWidth > 0 ? (
        <Group clipX={0} clipY={0} clipWidth={clipWidth} clipHeight={height}>
          <KImage image={before} width={width} height={height} />
        </Group>
      ) : null}
    </Layer>
  );
}

/** Test mode only: note when a frame first drew the photo, and first drew it at full resolution. */
function useFirstPaintMetric(layer: RefObject<Konva.Layer | null>, bitmap: ImageBitmap | null, width: number): void {
  useLayoutEffect(() => {
    const m = testMetrics();
    const node = layer.current;
    if (!m || !node || !bitmap || m.fullPaintAt !== null) return;
    const full = bitmap.width === width;
    node.on('draw.firstpaint', () => {
      const now = performance.now();
      m.firstPaintAt ??= now;
      if (full) m.fullPaintAt ??= now;
      node.off('draw.firstpaint');
    });
    return () => {
      node.off('draw.firstpaint');
    };
  }, [layer, bitmap, width]);
}
