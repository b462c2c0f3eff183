import type { Canvas } from '../canvas.js';
import type { Rng } from '../rng.js';
import type { BackdropScheme, Mood } from '../scheme.js';

export interface PresetContext {
  width: number;
  height: number;
  seed: number;
  rng: Rng;
  scheme: BackdropScheme;
  /** Shorter side: textures scale with it so a square and a story look alike. */
  side: number;
  isCancelled(): boolean;
}

export interface PresetOutput {
  canvas: Canvas;
  /** Row of a visible horizon (table edge, wall/floor line), or null for a seamless backdrop. */
  horizonY: number | null;
}

export interface Preset {
  mood: Mood;
  /** One line for `adstudio help background`. */
  description: string;
  render(ctx: PresetContext): PresetOutput;
}
