import type { FillMethod } from '../fill-types.js';
import { DEFAULT_PATCHMATCH_OPTIONS, patchMatchFill, type PatchMatchOptions } from './synthesize.js';

/** Known pixels around each region's bounding box: room for patches to come from. */
export const PATCHMATCH_MARGIN = 32;

/** A PatchMatch fill method with its own settings (tests and the benchmark vary the seed or steps). */
export function createPatchMatchMethod(overrides: Partial<PatchMatchOptions> & { margin?: number } = {}): FillMethod {
  const { margin = PATCHMATCH_MARGIN, ...rest } = overrides;
  const options = { ...DEFAULT_PATCHMATCH_OPTIONS, ...rest };
  return {
    id: 'patchmatch',
    label: 'PatchMatch (texture)',
    margin,
    // The pyramid pads its own levels; the crop needs none.
    padding: 0,
    fill: (crop, ctx) => patchMatchFill(crop, ctx, options),
  };
}

export const patchMatchMethod: FillMethod = createPatchMatchMethod();
