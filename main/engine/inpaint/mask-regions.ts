/**
 * Splits a mask into regions that can be inpainted independently. The mask is summarised on a coarse
 * grid of cells; touching marked cells form one region. This costs one pass over the mask and stays
 * linear however many glyphs the mask holds (per-pixel components plus box merging would not).
 */

/** Mask values at or above this are filled. */
export const MASK_THRESHOLD = 128;

export interface MaskRegion {
  /** Region id: cellLabels holds it for every cell of the region. */
  label: number;
  /** Tight bounding box of the region's masked pixels; x1/y1 exclusive. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Masked pixels in the region. */
  count: number;
}

export interface MaskRegions {
  regions: MaskRegion[];
  cellSize: number;
  cellsX: number;
  /** Per cell: region label, or -1 for a cell without masked pixels. */
  cellLabels: Int32Array;
  /** Masked pixels in the whole mask. */
  total: number;
}

/** Any byte >= 128 in mask[start, end)? Whole aligned words are tested at once (high bit of each byte). */
function rowHasMasked(mask: Uint8Array, words: Uint32Array, start: number, end: number): boolean {
  let i = start;
  for (; i < end && i % 4 !== 0; i++) if (mask[i]! >= MASK_THRESHOLD) return true;
  const wEnd = end >> 2;
  for (let w = i >> 2; w < wEnd; w++) if ((words[w]! & 0x80808080) !== 0) return true;
  for (i = Math.max(i, wEnd << 2); i < end; i++) if (mask[i]! >= MASK_THRESHOLD) return true;
  return false;
}

export function findMaskRegions(mask: Uint8Array, width: number, height: number, cellSize = 16): MaskRegions {
  const cellsX = Math.ceil(width / cellSize);
  const cellsY = Math.ceil(height / cellSize);
  const cellLabels = new Int32Array(cellsX * cellsY).fill(-1);
  const marked = new Uint8Array(cellsX * cellsY);
  const shift = Math.log2(cellSize);
  if (!Number.isInteger(shift)) throw new Error('cellSize must be a power of two');

  // 1. Which cells hold masked pixels. Rows without any are skipped 4 bytes at a time (a text mask
  // leaves most rows of a big photo empty); in the others, a cell's span stops at its first hit.
  const words = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (words && !rowHasMasked(mask, words, row, row + width)) continue;
    const cellRow = (y >> shift) * cellsX;
    for (let cx = 0; cx < cellsX; cx++) {
      if (marked[cellRow + cx]) continue;
      const xEnd = Math.min(width, (cx + 1) << shift);
      for (let x = cx << shift; x < xEnd; x++) {
        if (mask[row + x]! >= MASK_THRESHOLD) {
          marked[cellRow + cx] = 1;
          break;
        }
      }
    }
  }

  // 2. Label 8-connected groups of marked cells (iterative flood fill).
  const stack = new Int32Array(cellsX * cellsY);
  let labelCount = 0;
  for (let c = 0; c < marked.length; c++) {
    if (!marked[c] || cellLabels[c] !== -1) continue;
    const label = labelCount++;
    let sp = 0;
    stack[sp++] = c;
    cellLabels[c] = label;
    while (sp > 0) {
      const cur = stack[--sp]!;
      const cy = (cur / cellsX) | 0;
      const cx = cur - cy * cellsX;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = cy + dy;
        if (ny < 0 || ny >= cellsY) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          if (nx < 0 || nx >= cellsX) continue;
          const n = ny * cellsX + nx;
          if (marked[n] && cellLabels[n] === -1) {
            cellLabels[n] = label;
            stack[sp++] = n;
          }
        }
      }
    }
  }

  // 3. Tight boxes and counts, scanning only marked cells.
  const regions: MaskRegion[] = [];
  for (let l = 0; l < labelCount; l++) regions.push({ label: l, x0: width, y0: height, x1: 0, y1: 0, count: 0 });
  let total = 0;
  for (let c = 0; c < marked.length; c++) {
    if (!marked[c]) continue;
    const r = regions[cellLabels[c]!]!;
    const cy = (c / cellsX) | 0;
    const cx = c - cy * cellsX;
    const xs = cx << shift;
    const ys = cy << shift;
    const xe = Math.min(width, xs + cellSize);
    const ye = Math.min(height, ys + cellSize);
    for (let y = ys; y < ye; y++) {
      const row = y * width;
      for (let x = xs; x < xe; x++) {
        if (mask[row + x]! < MASK_THRESHOLD) continue;
        r.count++;
        if (x < r.x0) r.x0 = x;
        if (x >= r.x1) r.x1 = x + 1;
        if (y < r.y0) r.y0 = y;
        if (y >= r.y1) r.y1 = y + 1;
      }
    }
  }
  for (const r of regions) total += r.count;
  return { regions, cellSize, cellsX, cellLabels, total };
}
