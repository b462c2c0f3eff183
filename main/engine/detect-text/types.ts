import type { RawImage } from '../../core/images/raw-image.js';
import type { DbOptions } from './db-postprocess.js';
import type { PlanOptions } from './plan.js';
import type { RefineOptions } from './refine-region.js';

/** One detected line (or column) of text, in image pixels. */
export interface TextRegion {
  /** 1-based, in reading order (top to bottom, then left to right). */
  id: number;
  /** The line's rotated box, 4 corners clockwise from its top-left, clamped to the image. */
  polygon: [number, number][];
  /** Axis-aligned bounds of the polygon (integers, inside the image). */
  box: { x: number; y: number; w: number; h: number };
  /** Detector confidence 0..1 (mean text probability inside the line). */
  score: number;
  /** Glyph height across the line, px (what the mask dilation is proportional to). */
  lineHeight: number;
  /** Direction of the line, degrees clockwise from horizontal (−90..90]. */
  angle: number;
  /** Share of the line whose mask follows the glyph strokes (the rest is the filled box). */
  glyphShare: number;
  /** The copy, when a recogniser has read it (none yet). */
  text?: string;
}

/** A region's part of the mask: a crop at (x, y) of the full mask, 255 = text. For per-region toggles. */
export interface RegionMask {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface DetectTextResult {
  /** 1 channel, the image's size, 255 = text, 0 = keep. */
  mask: RawImage;
  regions: TextRegion[];
  /** Same order as `regions`. */
  regionMasks: RegionMask[];
}

export interface DetectTextOptions extends PlanOptions, DbOptions, RefineOptions {
  /** Narrow boxes to glyph strokes (default true); false masks the filled boxes. */
  refine?: boolean;
}

export interface DetectTextRequest {
  /** RGB or RGBA (grey works too); not modified, not detached. */
  image: RawImage;
  signal?: AbortSignal;
  /** 0..1, monotonic. */
  onProgress?: (progress: number, message?: string) => void;
}

/** Finds text and proposes an erase mask. Runs in a worker thread; reuse one for many images. */
export interface TextDetector {
  detect(request: DetectTextRequest): Promise<DetectTextResult>;
  close(): Promise<void>;
}
