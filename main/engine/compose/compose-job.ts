import type { ProductEffectsInput } from './product-effects.js';

/** A product layer ready to draw: its (possibly pre-shrunk) pixels, the transform for them, its look. */
export interface ComposeProductJob extends ProductEffectsInput {
  kind: 'product';
  id: string;
}

/** A rendered text layer: canvas-sized straight-alpha RGBA. */
export interface ComposeOverlayJob {
  kind: 'overlay';
  id: string;
  rgba: Uint8Array;
}

/** Everything the worker needs; buffers are transferred. Layers in z-order, bottom first. */
export interface ComposeJob {
  width: number;
  height: number;
  /** width×height×3. */
  background: Uint8Array;
  layers: (ComposeProductJob | ComposeOverlayJob)[];
}

export interface PlacedProduct {
  id: string;
  /** Canvas bounds of the solid silhouette (alpha ≥ 0.5) as drawn. */
  bounds: { x: number; y: number; width: number; height: number };
  /** Tone statistics (Lab) before and the background target, when tone matching ran. */
  tone?: { before: [number, number, number]; target: [number, number, number] };
}

export interface ComposeJobResult {
  /** width×height×3. */
  rgb: Uint8Array;
  placed: PlacedProduct[];
}
