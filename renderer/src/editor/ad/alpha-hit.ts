/**
 * Where a cut-out can be clicked: a coarse grid over its alpha, merged into horizontal runs of
 * cells that are visibly opaque. The canvas fills these rects as the product's hit area, so a click
 * in the transparent margin goes through to the layer below (or clears the selection).
 */

/** Longest side of the alpha grid: fine enough to follow a silhouette, cheap to redraw every frame. */
export const HIT_GRID = 96;
/** Mean alpha (0–255) a cell needs to count as product: faint fringes and shadows do not. */
export const HIT_ALPHA = 40;

export interface HitRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The grid size for a width×height layer (aspect kept, at least 1×1, never finer than the image). */
export function hitGridSize(width: number, height: number, grid = HIT_GRID): { gw: number; gh: number } {
  const k = Math.min(1, grid / Math.max(width, height));
  return { gw: Math.max(1, Math.round(width * k)), gh: Math.max(1, Math.round(height * k)) };
}

/**
 * Runs of opaque cells of a gw×gh alpha grid (one byte per cell), in layer px of a width×height
 * layer. Cells are widened by a hair so neighbouring runs leave no seams for a click to fall into.
 */
export function alphaHitRects(alpha: ArrayLike<number>, gw: number, gh: number, width: number, height: number, threshold = HIT_ALPHA): HitRect[] {
  const cw = width / gw;
  const ch = height / gh;
  const out: HitRect[] = [];
  for (let v = 0; v < gh; v++) {
    let start = -1;
    for (let u = 0; u <= gw; u++) {
      const solid = u < gw && alpha[v * gw + u]! >= threshold;
      if (solid && start < 0) start = u;
      else if (!solid && start >= 0) {
        out.push({ x: start * cw, y: v * ch, width: (u - start) * cw + 0.01, height: ch + 0.01 });
        start = -1;
      }
    }
  }
  return out;
}
