import type Konva from 'konva';
import type { AdParts } from '../../document/ad-records';
import { BackgroundNode } from './BackgroundNode';
import type { LayerEvents } from './layer-events';
import { ProductNode } from './ProductNode';
import { fontKey, type SceneData } from './scene-data';
import { TextNode } from './TextNode';

interface Props {
  width: number;
  height: number;
  parts: AdParts;
  data: SceneData;
  editingTextId?: string | null;
  events?: LayerEvents;
  bind?: (id: string, node: Konva.Node | null) => void;
}

/**
 * The ad as Konva nodes, in canvas pixels: backdrop, then products and text in z order. One
 * component for the screen and the export, so both draw the same thing; it reads only its props.
 */
export function AdScene({ width, height, parts, data, editingTextId = null, events, bind }: Props) {
  const bg = parts.background;
  return (
    <>
      <BackgroundNode width={width} height={height} record={bg} image={bg ? data.images.get(bg.props.asset) : undefined} />
      {parts.layers.map((r) =>
        r.type === 'product' ? (
          <ProductNode key={r.id} record={r} image={data.images.get(r.props.asset)} fx={data.fx.get(r.id)} events={events} bind={bind} />
        ) : (
          <TextNode
            key={r.id}
            record={r}
            fontReady={data.fonts.has(fontKey(r.props.font.family, r.props.font.weight))}
            editing={r.id === editingTextId}
            events={events}
            bind={bind}
          />
        ),
      )}
    </>
  );
}
