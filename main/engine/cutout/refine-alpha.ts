import { distanceTo } from '../compose/raster/distance.js';
import { guidedFilter } from './guided-filter.js';

/**
 * Snaps a coarse alpha (a network's upscaled probabilities, or a first matte) to the photo's edges:
 * the guided filter runs on the whole image, but only a band of a few pixels around the outline takes
 * its result, so flat areas of low contrast (a soft shadow, a white label) never lose their value.
 * Values within 2 % of 0 or 1 are snapped to 0 or 1: no faint veil over the background.
 */
export function refineAlpha(rgb: Uint8Array, coarse: Float32Array, width: number, height: number): Float32Array {
  const side = Math.min(width, height);
  const radius = Math.max(2, Math.round(side / 300));
  const band = Math.max(2, Math.round(side / 200));
  const filtered = guidedFilter(rgb, coarse, width, height, radius, 4e-4);
  const toFg = distanceTo(width, height, (i) => coarse[i]! >= 0.5);
  const toBg = distanceTo(width, height, (i) => coarse[i]! < 0.5);
  const out = new Float32Array(coarse.length);
  for (let i = 0; i < out.length; i++) {
    // Distance to the other side of the outline (one of the two is 0); full effect within the band,
    // fading out over one more pixel so no step shows.
    const d = Math.max(toFg[i]!, toBg[i]!);
    const t = Math.max(0, Math.min(1, band + 1 - d));
    const a = coarse[i]! + (filtered[i]! - coarse[i]!) * t;
    out[i] = a < 0.02 ? 0 : a > 0.98 ? 1 : a;
  }
  return out;
}
