import type { TextLayer } from '../../../preload/contract/ad-layout.js';
import { parseColor } from './raster/color.js';
import type { TextBlock } from './text-layout.js';

/**
 * One text layer as a canvas-sized SVG for librsvg (inside sharp): each line a <text> at its
 * baseline, the layer's transform on a group (Konva's node model: translate, rotate, scale), the
 * stroke under the fill (paint-order) like Konva's fillAfterStrokeEnabled, and the shadow as a filter
 * on an outer, untransformed group so its offset is in canvas pixels, as a canvas shadow is.
 */
export function textLayerSvg(layer: TextLayer, block: TextBlock, canvasWidth: number, canvasHeight: number): string {
  const t = layer.transform ?? { x: 0, y: 0, scaleX: 1, scaleY: 1, rotation: 0 };
  const fill = paint(layer.color);
  const stroke = layer.stroke && layer.stroke.width > 0 ? paint(layer.stroke.color) : null;
  const attrs = [
    `font-family="${esc(block.font.family)}"`,
    `font-weight="${block.font.weight}"`,
    `font-size="${num(layer.font.size)}"`,
    `fill="${fill.rgb}"`,
    fill.opacity < 1 ? `fill-opacity="${num(fill.opacity)}"` : '',
    layer.letterSpacing ? `letter-spacing="${num(layer.letterSpacing)}"` : '',
    stroke ? `stroke="${stroke.rgb}" stroke-width="${num(layer.stroke!.width)}" stroke-linejoin="round" paint-order="stroke"` : '',
    stroke && stroke.opacity < 1 ? `stroke-opacity="${num(stroke.opacity)}"` : '',
    'xml:space="preserve"',
  ]
    .filter(Boolean)
    .join(' ');
  const lines = block.lines.map((l) => `<text x="${num(l.x)}" y="${num(l.baseline)}" ${attrs}>${esc(l.text)}</text>`).join('');
  const transform = `translate(${num(t.x)} ${num(t.y)}) rotate(${num(t.rotation)}) scale(${num(t.scaleX)} ${num(t.scaleY)})`;
  let defs = '';
  let open = '<g>';
  if (layer.shadow && layer.shadow.opacity > 0) {
    const s = layer.shadow;
    const c = paint(s.color);
    defs =
      `<defs><filter id="shadow" x="-20%" y="-20%" width="140%" height="140%" color-interpolation-filters="sRGB">` +
      `<feGaussianBlur in="SourceAlpha" stdDeviation="${num(s.blur)}" result="blur"/>` +
      `<feOffset in="blur" dx="${num(s.offsetX)}" dy="${num(s.offsetY)}" result="moved"/>` +
      `<feFlood flood-color="${c.rgb}" flood-opacity="${num(s.opacity * c.opacity)}"/>` +
      `<feComposite in2="moved" operator="in" result="shade"/>` +
      `<feMerge><feMergeNode in="shade"/><feMergeNode in="SourceGraphic"/></feMerge>` +
      `</filter></defs>`;
    open = '<g filter="url(#shadow)">';
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidth}" height="${canvasHeight}" viewBox="0 0 ${canvasWidth} ${canvasHeight}">` +
    defs +
    `<g opacity="${num(layer.opacity)}">${open}<g transform="${transform}">${lines}</g></g></g></svg>`
  );
}

function paint(hex: string): { rgb: string; opacity: number } {
  const { rgb, alpha } = parseColor(hex);
  return { rgb: `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`, opacity: alpha };
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
