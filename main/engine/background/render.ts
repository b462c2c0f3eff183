import { AppError, LIMITS } from '../../../preload/contract/index.js';
import { BACKGROUND_PRESETS, type BackgroundPreset } from '../../../preload/contract/ad-layout.js';
import { groundFromHorizon } from '../compose/ground-line.js';
import type { Rgb } from '../compose/raster/lab.js';
import { toBytes } from './canvas.js';
import type { PaletteColour } from './palette.js';
import { PRESETS } from './presets/index.js';
import { createRng, subSeed } from './rng.js';
import { backdropScheme } from './scheme.js';

export interface BackdropRequest {
  preset: BackgroundPreset;
  width: number;
  height: number;
  seed: number;
  /** The product's colours, most prominent first; empty = a neutral scheme chosen by the seed. */
  palette: PaletteColour[];
}

export interface Backdrop {
  /** width×height×3. */
  rgb: Uint8Array;
  width: number;
  height: number;
  preset: BackgroundPreset;
  seed: number;
  /** How the colours were chosen from the palette ("tonal", "complement", …). */
  harmony: string;
  /** The backdrop's main colour. */
  base: Rgb;
  horizonY: number | null;
  groundY: number;
}

/** Renders one backdrop: the same request gives the same pixels, byte for byte. */
export function renderBackdrop(request: BackdropRequest, isCancelled: () => boolean = () => false): Backdrop {
  const { preset, width, height, seed } = request;
  checkRequest(request);
  const def = PRESETS[preset];
  const scheme = backdropScheme(request.palette, seed, def.mood);
  const out = def.render({
    width,
    height,
    seed,
    rng: createRng(subSeed(seed, preset)),
    scheme,
    side: Math.min(width, height),
    isCancelled,
  });
  if (isCancelled()) throw new AppError('cancelled', 'the background was cancelled');
  return {
    rgb: toBytes(out.canvas, subSeed(seed, 'dither')),
    width,
    height,
    preset,
    seed,
    harmony: scheme.harmony,
    base: scheme.base,
    horizonY: out.horizonY,
    // The same rule compose applies to a detected horizon: a file written now composes the same later.
    groundY: groundFromHorizon(out.horizonY, height),
  };
}

export function checkRequest({ preset, width, height, seed }: Pick<BackdropRequest, 'preset' | 'width' | 'height' | 'seed'>): void {
  if (!BACKGROUND_PRESETS.includes(preset)) throw new AppError('bad-request', `unknown background preset "${String(preset)}"; available: ${BACKGROUND_PRESETS.join(', ')}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) throw new AppError('bad-request', `a background must be at least 16×16 pixels, not ${width}×${height}`);
  if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) {
    throw new AppError('too-large', `a ${width}×${height} background is over the limit (${LIMITS.maxSide} px per side, ${LIMITS.maxPixels / 1e6} MP)`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new AppError('bad-request', `the seed must be a whole number from 0 to ${0xffffffff}, not ${seed}`);
}
