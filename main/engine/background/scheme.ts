import { chromaHue, lch, rgbOf, type Rgb } from '../compose/raster/lab.js';
import type { PaletteColour } from './palette.js';
import { createRng, subSeed } from './rng.js';

/**
 * The colours of one backdrop, drawn from the product's palette the way a set designer would: a
 * soft tone of the product's own hue, a neighbouring hue, a muted complement, or a neutral — picked
 * by the seed, so candidates differ. Backdrops stay quiet (low chroma) so the product stands out.
 */
export interface BackdropScheme {
  /** "tonal", "analogous", "complement", "neutral". */
  harmony: string;
  base: Rgb;
  light: Rgb;
  shade: Rgb;
  /** Table or floor. */
  surface: Rgb;
  /** Lights and veins: a brighter, more colourful note from the palette. */
  accent: Rgb;
  accent2: Rgb;
}

export type Mood = 'light' | 'dark' | 'any';

const HARMONIES = ['tonal', 'analogous', 'complement', 'neutral'] as const;

export function backdropScheme(palette: readonly PaletteColour[], seed: number, mood: Mood): BackdropScheme {
  const rng = createRng(subSeed(seed, 'scheme'));
  const chromatic = palette.find((c) => chromaHue(c.lab).C >= 12) ?? palette[0];
  const hero = chromatic ? chromaHue(chromatic.lab) : { C: rng.range(4, 14), h: rng.range(0, 360) };
  const second = palette.find((c) => c !== chromatic && chromaHue(c.lab).C >= 10);
  const secondHue = second ? chromaHue(second.lab).h : hero.h + 30;

  const harmony = palette.length === 0 ? 'neutral' : rng.pick(HARMONIES);
  let hue = hero.h;
  let chroma = Math.min(22, hero.C * 0.35);
  if (harmony === 'analogous') hue += rng.pick([-1, 1]) * rng.range(25, 45);
  if (harmony === 'complement') {
    hue += 180 + rng.range(-20, 20);
    chroma = Math.min(14, Math.max(6, hero.C * 0.2));
  }
  if (harmony === 'neutral') {
    hue = rng.pick([70, 85, 250, 260]);
    chroma = rng.range(2, 6);
  }
  const dark = mood === 'dark' || (mood === 'any' && rng.next() < 0.3);
  const L = dark ? rng.range(20, 32) : rng.range(80, 91);
  const surfaceL = dark ? L + rng.range(-8, 4) : L + rng.range(-14, 5);
  const accentHue = harmony === 'complement' ? hero.h : rng.pick([hero.h, secondHue, hue]);
  return {
    harmony,
    base: rgbOf(lch(L, chroma, hue)),
    light: rgbOf(lch(Math.min(99, L + (dark ? 14 : 8)), chroma * 0.7, hue)),
    shade: rgbOf(lch(Math.max(2, L - (dark ? 12 : 18)), chroma * 1.15, hue)),
    surface: rgbOf(lch(surfaceL, chroma * rng.range(0.6, 1.2), hue + rng.range(-10, 10))),
    accent: rgbOf(lch(dark ? rng.range(70, 88) : rng.range(60, 80), Math.max(25, Math.min(60, hero.C)), accentHue)),
    accent2: rgbOf(lch(dark ? rng.range(65, 85) : rng.range(55, 75), rng.range(20, 45), secondHue)),
  };
}
