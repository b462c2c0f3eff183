import { AppError } from '../../../preload/contract/index.js';
import type { FillMethod } from './fill-types.js';
import { patchMatchMethod } from './patchmatch/patchmatch-method.js';
import { smoothMethod } from './smooth.js';
import { teleaMethod } from './telea.js';

/**
 * Every inpainting method the embedded engine offers, in menu order. To add one (e.g. PatchMatch),
 * write a FillMethod in its own file and list it here; DEFAULT_METHOD_ID picks what Erase and the CLI
 * use without --method.
 */
export const FILL_METHODS: readonly FillMethod[] = [teleaMethod, smoothMethod, patchMatchMethod];

// PatchMatch: +2 dB PSNR over OpenCV Navier–Stokes on the erase benchmark (npm run bench:erase).
export const DEFAULT_METHOD_ID = 'patchmatch';

export function methodIds(): string[] {
  return FILL_METHODS.map((m) => m.id);
}

/** The method for an id (undefined = default); unknown ids are an AppError naming the valid ones. */
export function getFillMethod(id: string | undefined): FillMethod {
  const wanted = id ?? DEFAULT_METHOD_ID;
  const method = FILL_METHODS.find((m) => m.id === wanted);
  if (!method) throw new AppError('bad-request', `unknown inpainting method "${wanted}"; available: ${methodIds().join(', ')}`);
  return method;
}
