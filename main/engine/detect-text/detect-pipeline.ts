import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { dbBoxes } from './db-postprocess.js';
import { minAreaRect, polygonBounds, rectCorners, type Point, type RotatedRect } from './geometry.js';
import { planDetection } from './plan.js';
import { probabilityMap, type InferFn } from './probability-map.js';
import { refineRegion } from './refine-region.js';
import type { DetectTextOptions, DetectTextResult, RegionMask, TextRegion } from './types.js';

export interface PipelineControl {
  isCancelled(): boolean;
  progress(progress: number, message?: string): void;
}

const MAP_SHARE = 0.7;

/**
 * The whole detection on the current thread: network passes (via `infer`), DB post-processing,
 * mapping back to image pixels, glyph refinement, mask assembly. Checks for cancellation between steps.
 */
export async function detectText(image: RawImage, infer: InferFn, options: DetectTextOptions = {}, control: PipelineControl = { isCancelled: () => false, progress: () => {} }): Promise<DetectTextResult> {
  const { width: W, height: H } = image;
  const checkCancelled = () => {
    if (control.isCancelled()) throw new AppError('cancelled', 'text detection was cancelled');
  };
  const plan = planDetection(W, H, options);
  const map = await probabilityMap(image, plan, infer, {
    checkCancelled,
    onStep: (done, total) => control.progress((MAP_SHARE * done) / total, 'detecting text'),
  });
  checkCancelled();

  const boxes = dbBoxes(map, plan.canvasWidth, plan.canvasHeight, options, checkCancelled);
  // Back to image pixels (per axis: the canvas sides were rounded to multiples of 32).
  const found = boxes
    .map((b) => ({ rect: minAreaRect(rectCorners(b.rect).map(([x, y]): Point => [x / plan.scaleX, y / plan.scaleY])), score: b.score }))
    .filter(({ rect }) => rect.cx + rect.width / 2 > 0 && rect.cy + rect.height / 2 > 0 && rect.cx - rect.width / 2 < W && rect.cy - rect.height / 2 < H);
  found.sort((a, b) => readingOrder(a.rect, b.rect));
  control.progress(MAP_SHARE + 0.05, 'refining the mask');

  const mask = new Uint8Array(W * H);
  const regions: TextRegion[] = [];
  const regionMasks: RegionMask[] = [];
  const refine = options.refine !== false;
  for (let k = 0; k < found.length; k++) {
    checkCancelled();
    const { rect, score } = found[k]!;
    const id = k + 1;
    const others = found.filter((_, j) => j !== k && near(found[j]!.rect, rect)).map((f) => f.rect);
    const refined = refine ? refineRegion(image, rect, others, options, checkCancelled) : filledBox(rect, W, H);
    const m = refined.mask;
    for (let y = 0; y < m.height; y++) {
      const row = (m.y + y) * W + m.x;
      for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) mask[row + x] = 255;
    }
    regionMasks.push({ id, ...m });
    regions.push(toRegion(id, rect, score, refined.lineHeight, refined.glyphShare, W, H));
    control.progress(MAP_SHARE + 0.05 + (0.25 * (k + 1)) / found.length, 'refining the mask');
  }
  control.progress(1);
  return { mask: { data: mask, width: W, height: H, channels: 1 }, regions, regionMasks };
}

/** Top to bottom by line, left to right within a line (lines overlapping by half their height are one row). */
function readingOrder(a: RotatedRect, b: RotatedRect): number {
  const sameRow = Math.abs(a.cy - b.cy) < Math.min(a.height, b.height) / 2;
  return sameRow ? a.cx - b.cx : a.cy - b.cy;
}

/** Whether two rectangles' bounding circles come close (cheap pre-filter for background sampling). */
function near(a: RotatedRect, b: RotatedRect): boolean {
  const ra = Math.hypot(a.width, a.height) / 2;
  const rb = Math.hypot(b.width, b.height) / 2;
  return Math.hypot(a.cx - b.cx, a.cy - b.cy) < (ra + rb) * 1.5;
}

function toRegion(id: number, rect: RotatedRect, score: number, lineHeight: number, glyphShare: number, W: number, H: number): TextRegion {
  const round1 = (v: number) => Math.round(v * 10) / 10;
  const polygon = rectCorners(rect).map(([x, y]): [number, number] => [round1(Math.min(W, Math.max(0, x))), round1(Math.min(H, Math.max(0, y)))]);
  const b = polygonBounds(polygon);
  const x = Math.floor(b.x0);
  const y = Math.floor(b.y0);
  let angle = (rect.angle * 180) / Math.PI;
  if (angle <= -90) angle += 180;
  return {
    id,
    polygon,
    box: { x, y, w: Math.ceil(b.x1) - x, h: Math.ceil(b.y1) - y },
    score: Math.round(score * 1000) / 1000,
    lineHeight,
    angle: round1(angle),
    glyphShare: Math.round(glyphShare * 100) / 100,
  };
}

/** The unrefined mask of a region: its box, filled. */
function filledBox(rect: RotatedRect, W: number, H: number) {
  const b = polygonBounds(rectCorners(rect));
  const x0 = Math.max(0, Math.floor(b.x0));
  const y0 = Math.max(0, Math.floor(b.y0));
  const x1 = Math.min(W, Math.ceil(b.x1));
  const y1 = Math.min(H, Math.ceil(b.y1));
  const w = Math.max(0, x1 - x0);
  const h = Math.max(0, y1 - y0);
  const data = new Uint8Array(w * h);
  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  for (let y = 0; y < h; y++) {
    const dy = y0 + y + 0.5 - rect.cy;
    for (let x = 0; x < w; x++) {
      const dx = x0 + x + 0.5 - rect.cx;
      if (Math.abs(dx * ux + dy * uy) <= rect.width / 2 && Math.abs(dy * ux - dx * uy) <= rect.height / 2) data[y * w + x] = 255;
    }
  }
  return { mask: { x: x0, y: y0, width: w, height: h, data }, lineHeight: Math.max(1, Math.round(rect.height * 0.75)), glyphShare: 0 };
}
