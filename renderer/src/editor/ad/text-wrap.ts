import { LIMITS } from '../../../../preload/contract/limits';

/** The transformer's side anchors: on copy they set the wrap width instead of scaling. */
export const SIDE_ANCHORS = ['middle-left', 'middle-right'] as const;

export function isSideAnchor(anchor: string): boolean {
  return (SIDE_ANCHORS as readonly string[]).includes(anchor);
}

/** The narrowest wrap width (layer px) for copy of this font size: about one glyph. */
export function minWrapWidth(fontSize: number): number {
  return Math.max(8, fontSize);
}

/**
 * Konva stretched a text node sideways (its scaleX went from the record's `scaleX` to `stretchedX`):
 * the wrap width that shows the same box at the record's scale, so the glyphs keep their size and
 * the words re-flow. Clamped to [minWidth, the canvas limit].
 */
export function wrapWidthAfterStretch(width: number, scaleX: number, stretchedX: number, minWidth: number): number {
  const w = (width * stretchedX) / scaleX;
  if (!Number.isFinite(w)) return Math.max(1, minWidth);
  return Math.min(LIMITS.maxSide, Math.max(minWidth, Math.round(w * 10) / 10));
}
