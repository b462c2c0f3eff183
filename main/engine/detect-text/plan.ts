/**
 * How an image is fed to the detector. The network sees the image on a "canvas" (the image scaled so
 * the long side fits `maxSide`; network inputs are padded to multiples of 32). Very large images would shrink so much
 * that small print vanishes, so they get a finer canvas cut into overlapping tiles, plus one coarse
 * pass over the whole image for text too big for a tile; the probability maps are merged (max) on the
 * fine canvas.
 */
export interface DetectionPlan {
  /** Size of the probability map (the canvas) and its scale from the image, per axis. */
  canvasWidth: number;
  canvasHeight: number;
  scaleX: number;
  scaleY: number;
  /** Network inputs cut from the canvas (multiples of 32; may reach past the canvas: padded). */
  tiles: Tile[];
  /** When tiling: a whole-image pass at the coarser size, upsampled onto the canvas (max); else null. */
  coarse: { width: number; height: number } | null;
}

export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * The part of the canvas this tile's output is used for (canvas pixels, end exclusive): tiles meet
   * in the middle of their overlap, because a network sees letters cut by its input's edge as odd
   * shapes of their own.
   */
  core: { x0: number; y0: number; x1: number; y1: number };
}

export interface PlanOptions {
  /** Longest network input side (default 1280). */
  maxSide?: number;
  /** Tile when the image would shrink below this scale (default 0.5); 0 disables tiling. */
  tileBelowScale?: number;
  /** Fine canvas scale as a multiple of the coarse one when tiling (default 1.5). */
  tileZoom?: number;
  /** Overlap between tiles on the canvas, px (default: a fifth of a tile, at least 64). */
  tileOverlap?: number;
}

export const DEFAULT_MAX_SIDE = 1280;

const round32 = (v: number) => Math.max(32, Math.round(v / 32) * 32);
const ceil32 = (v: number) => Math.max(32, Math.ceil(v / 32) * 32);

export function planDetection(width: number, height: number, options: PlanOptions = {}): DetectionPlan {
  const maxSide = Math.max(64, options.maxSide ?? DEFAULT_MAX_SIDE);
  const tileBelow = options.tileBelowScale ?? 0.5;
  const zoom = Math.max(1, options.tileZoom ?? 1.5);
  const longSide = Math.max(width, height);
  const scale = Math.min(1, maxSide / longSide);

  if (scale >= tileBelow) {
    // One pass. The network needs sides in multiples of 32: the input is padded rather than stretched,
    // so an image that already fits is used pixel for pixel.
    const cw = Math.max(1, Math.round(width * scale));
    const ch = Math.max(1, Math.round(height * scale));
    const tile = { x: 0, y: 0, width: ceil32(cw), height: ceil32(ch), core: { x0: 0, y0: 0, x1: cw, y1: ch } };
    return { canvasWidth: cw, canvasHeight: ch, scaleX: cw / width, scaleY: ch / height, tiles: [tile], coarse: null };
  }

  const fine = Math.min(1, scale * zoom);
  const cw = Math.max(1, Math.round(width * fine));
  const ch = Math.max(1, Math.round(height * fine));
  const overlap = options.tileOverlap ?? Math.max(64, Math.round(maxSide / 5));
  const xs = tileSpans(cw, maxSide, overlap);
  const ys = tileSpans(ch, maxSide, overlap);
  const tiles = ys.flatMap((y) =>
    xs.map((x) => ({ x: x.start, y: y.start, width: x.size, height: y.size, core: { x0: x.core0, y0: y.core0, x1: x.core1, y1: y.core1 } })),
  );
  return {
    canvasWidth: cw,
    canvasHeight: ch,
    scaleX: cw / width,
    scaleY: ch / height,
    tiles,
    coarse: { width: round32(width * scale), height: round32(height * scale) },
  };
}

/**
 * Evenly spaced spans of equal size (multiple of 32, ≤ maxSide where possible) covering 0..length,
 * each with the core it is responsible for (neighbours meet in the middle of their overlap).
 */
function tileSpans(length: number, maxSide: number, overlap: number): { start: number; size: number; core0: number; core1: number }[] {
  const limit = Math.max(64, Math.floor(maxSide / 32) * 32);
  if (length <= limit) return [{ start: 0, size: ceil32(length), core0: 0, core1: length }];
  const ov = Math.min(overlap, limit / 2);
  const n = Math.ceil((length - ov) / (limit - ov));
  const size = Math.min(limit, ceil32((length + (n - 1) * ov) / n));
  const starts = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : Math.round((i * (length - size)) / (n - 1))));
  return starts.map((start, i) => ({
    start,
    size,
    core0: i === 0 ? 0 : Math.round((start + starts[i - 1]! + size) / 2),
    core1: i === n - 1 ? length : Math.round((starts[i + 1]! + start + size) / 2),
  }));
}
