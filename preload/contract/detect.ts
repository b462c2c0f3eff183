import { z } from 'zod';
import { assetHashSchema } from './document.js';
import { LIMITS } from './limits.js';

/**
 * Text detection results as the editor receives them (mirrors main/engine/detect-text TextRegion,
 * minus internals the UI has no use for). Coordinates are image pixels of the source asset.
 */
const point = z.tuple([z.number(), z.number()]);
const side = z.number().int().positive().max(LIMITS.maxSide);
const offset = z.number().int().nonnegative().max(LIMITS.maxSide);

/**
 * A region's own part of the proposed mask: a 'mask' asset of width×height (255 = text) placed at
 * (x, y) in the image. Neighbouring lines' dilated masks may overlap, so per-region toggles compose
 * these crops (max) rather than cutting boxes out of the whole mask.
 */
export const regionMaskSchema = z.strictObject({ x: offset, y: offset, width: side, height: side, asset: assetHashSchema });
export type RegionMaskPayload = z.infer<typeof regionMaskSchema>;

export const textRegionSchema = z.object({
  /** 1-based, reading order (top to bottom, then left to right). */
  id: z.number().int().positive(),
  /** Rotated box of the line: 4 corners clockwise from its top-left. */
  polygon: z.array(point).min(3).max(64),
  /** Axis-aligned bounds of the polygon (integers, inside the image). */
  box: z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int().nonnegative(), h: z.number().int().nonnegative() }),
  /** Detector confidence 0..1. */
  score: z.number().min(0).max(1),
  /** Glyph height across the line, px. */
  lineHeight: z.number().nonnegative(),
  /** The copy once a recogniser has read it; null until then. */
  text: z.string().max(2000).nullable(),
  /** This region's crop of the mask; absent when the region masks no pixel. */
  mask: regionMaskSchema.optional(),
});
export type TextRegionPayload = z.infer<typeof textRegionSchema>;

/** Upper bound on regions in one jobFinished (a busy ad has dozens; this only stops runaway payloads). */
export const MAX_TEXT_REGIONS = 2000;
export const textRegionsSchema = z.array(textRegionSchema).max(MAX_TEXT_REGIONS);
