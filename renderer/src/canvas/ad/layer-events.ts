import type Konva from 'konva';

/** Pointer handlers the canvas puts on a layer's node (absent in the export scene). */
export interface LayerEvents {
  handlers(id: string): {
    onMouseDown: (e: Konva.KonvaEventObject<MouseEvent>) => void;
    onTap: (e: Konva.KonvaEventObject<Event>) => void;
    onDblClick: (e: Konva.KonvaEventObject<MouseEvent>) => void;
    onDragStart: (e: Konva.KonvaEventObject<DragEvent>) => void;
    onDragMove: (e: Konva.KonvaEventObject<DragEvent>) => void;
    onDragEnd: (e: Konva.KonvaEventObject<DragEvent>) => void;
  };
}
