import type Konva from 'konva';
import type { TextRecord } from '../../document/ad-records';

/**
 * The record's text style as Konva Text attributes. The stroke is drawn under the fill
 * (fillAfterStrokeEnabled), as the schema says: only the outer half of its width shows.
 */
export function textNodeProps(r: TextRecord): Konva.TextConfig {
  const p = r.props;
  const shadow = p.shadow;
  return {
    text: p.text,
    fontFamily: p.font.family,
    // Konva puts fontStyle first in the CSS font string: "700 normal 64px Family" is valid CSS.
    fontStyle: String(p.font.weight),
    fontSize: p.font.size,
    fill: p.color,
    align: p.align,
    lineHeight: p.lineHeight,
    letterSpacing: p.letterSpacing,
    ...(p.width !== undefined ? { width: p.width, wrap: 'word' } : { wrap: 'none' }),
    ...(p.stroke && p.stroke.width > 0 ? { stroke: p.stroke.color, strokeWidth: p.stroke.width, fillAfterStrokeEnabled: true } : { strokeEnabled: false }),
    ...(shadow
      ? // Canvas shadowBlur is twice the Gaussian sigma the schema stores.
        { shadowEnabled: true, shadowColor: shadow.color, shadowBlur: shadow.blur * 2, shadowOffsetX: shadow.offsetX, shadowOffsetY: shadow.offsetY, shadowOpacity: shadow.opacity }
      : { shadowEnabled: false }),
  };
}
