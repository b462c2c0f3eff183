import type { FillMethod } from '../fill-types.js';
import { DEFAULT_PATCHMATCH_OPTIONS, patchMatchFill, type PatchMatchOptions } from './synthesize.js';

/** Known pixels around each region's bounding box, at least: room for patches to come from. */
export const PATCHMATCH_MARGIN = 32;
/** Margin per pixel of the region's thickness, and its cap (see FillMethod.marginScale). */
export const PATCHMATCH_MARGIN_SCALE = 0.5;
export const PATCHMATCH_MAX_MARGIN = 96;

/** A PatchMatch fill method with its own settings (tests and the benchmark vary the seed or steps). */
export function createPatchMatchMethod(overrides: Partial<PatchMatchOptions> & { margin?: number; marginScale?: number; maxMargin?: number } = {}): FillMethod {
  const { margin = PATCHMATCH_MARGIN, marginScale = PATCHMATCH_MARGIN_SCALE, maxMargin = PATCHMATCH_MAX_MARGIN, ...rest } = overrides;
  const options = { ...DEFAULT_PATCHMATCH_OPTIONS, ...rest };
  return {
    id: 'patchmatch',
    label: 'PatchMatch (texture)',
    margin,
    marginScale,
    maxMargin,
    // The pyramid pads its own levels; the crop needs none.
    padding: 0,
    fill: (crop, ctx) => patchMatchFill(crop, ctx, options),
  };
}

export const patchMatchMethod: FillMethod = createPatchMatchMethod();
