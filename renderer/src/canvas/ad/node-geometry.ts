import type Konva from 'konva';
import type { Transform } from '../../../../preload/contract/document';
import type { Box } from '../../editor/ad/snapping';

/** A layer node's box in canvas px (relative to the scene group; shadows left out). */
export function nodeBox(node: Konva.Node, scene: Konva.Node): Box {
  const r = node.getClientRect({ relativeTo: scene as Konva.Container, skipShadow: true });
  return { x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height };
}

/** The record transform a node now shows (after Konva moved or transformed it). */
export function nodeTransform(node: Konva.Node): Transform {
  return { x: node.x(), y: node.y(), scaleX: node.scaleX(), scaleY: node.scaleY(), rotation: node.rotation() };
}
