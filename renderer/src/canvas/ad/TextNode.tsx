import type Konva from 'konva';
import { Text } from 'react-konva';
import type { TextRecord } from '../../document/ad-records';
import type { LayerEvents } from './layer-events';
import { textNodeProps } from './text-style';

interface Props {
  record: TextRecord;
  /** The font is loaded (drawing before would measure and paint a fallback face). */
  fontReady: boolean;
  /** Being edited on the canvas: the textarea shows it instead. */
  editing: boolean;
  events?: LayerEvents | undefined;
  bind?: ((id: string, node: Konva.Node | null) => void) | undefined;
}

/** Ad copy as a Konva Text: the record's words and style under its transform. */
export function TextNode({ record, fontReady, editing, events, bind }: Props) {
  const t = record.transform;
  return (
    <Text
      ref={(node) => bind?.(record.id, node)}
      id={record.id}
      name="ad-layer"
      {...textNodeProps(record)}
      x={t.x}
      y={t.y}
      scaleX={t.scaleX}
      scaleY={t.scaleY}
      rotation={t.rotation}
      opacity={record.opacity}
      visible={record.visible && fontReady && !editing}
      listening={!!events}
      draggable={!!events && !record.locked}
      {...events?.handlers(record.id)}
    />
  );
}
