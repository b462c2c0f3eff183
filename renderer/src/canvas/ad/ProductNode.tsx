import type Konva from 'konva';
import { useMemo } from 'react';
import { Group, Image as KImage } from 'react-konva';
import type { ProductRecord } from '../../document/ad-records';
import { alphaHitPath } from './alpha-hit-path';
import type { LayerEvents } from './layer-events';
import type { ProductFxView } from './scene-data';

interface Props {
  record: ProductRecord;
  image: ImageBitmap | undefined;
  fx: ProductFxView | undefined;
  events?: LayerEvents | undefined;
  bind?: ((id: string, node: Konva.Node | null) => void) | undefined;
}

/**
 * A product: its shadow patch, then its effected pixels (both computed in the worker, placed in
 * canvas space), then the plain cut-out under the record's transform — the node that is clicked,
 * dragged and transformed. With fresh effects the plain node is invisible but still hit; while a
 * gesture runs (stale effects) the plain product shows and the old shadow moves along with it.
 * It is hit only where the cut-out is opaque: a click in its transparent margin goes through.
 */
export function ProductNode({ record, image, fx, events, bind }: Props) {
  const t = record.transform;
  const fresh = !!fx?.fresh && !!fx.fx.product;
  const made = fx?.fx.transform;
  // The old shadow still fits when only the position changed: shift it by the move.
  const shadowFits = !!made && made.scaleX === t.scaleX && made.scaleY === t.scaleY && made.rotation === t.rotation;
  const shadow = fx?.fx.shadow && (fx.fresh || shadowFits) ? fx.fx.shadow : null;
  const dx = made && !fx?.fresh ? t.x - made.x : 0;
  const dy = made && !fx?.fresh ? t.y - made.y : 0;
  const patch = fresh ? fx.fx.product : null;
  const w = record.props.width;
  const h = record.props.height;
  const hitPath = useMemo(() => (image && events ? alphaHitPath(image, w, h) : null), [image, events, w, h]);
  // Konva has already applied the node's transform: the path is in layer px like the image.
  const hitFunc = hitPath
    ? (ctx: Konva.Context, shape: Konva.Shape) => {
        ctx._context.fillStyle = shape.colorKey;
        ctx._context.fill(hitPath);
      }
    : undefined;
  return (
    <Group visible={record.visible}>
      {shadow ? <KImage image={shadow.bitmap} x={shadow.x + dx} y={shadow.y + dy} width={shadow.width} height={shadow.height} listening={false} /> : null}
      {patch ? <KImage image={patch.bitmap} x={patch.x} y={patch.y} width={patch.width} height={patch.height} opacity={record.opacity} listening={false} /> : null}
      {image ? (
        <KImage
          ref={(node) => bind?.(record.id, node)}
          id={record.id}
          name="ad-layer"
          image={image}
          x={t.x}
          y={t.y}
          width={w}
          height={h}
          scaleX={t.scaleX}
          scaleY={t.scaleY}
          rotation={t.rotation}
          // Invisible (yet hit) when the effected patch draws the product.
          opacity={patch ? 0 : record.opacity}
          listening={!!events}
          {...(hitFunc ? { hitFunc } : {})}
          draggable={!!events && !record.locked}
          {...events?.handlers(record.id)}
        />
      ) : null}
    </Group>
  );
}
