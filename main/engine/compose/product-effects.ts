import type { LayerTransform, ProductLayer } from '../../../preload/contract/ad-layout.js';
import { defringe, feather, lightWrap } from './edges.js';
import { alphaBounds, placeImage, type Patch } from './patch.js';
import { contactShadowMask, dropShadowMask, type Canvas, type ShadowMask } from './shadows.js';
import { toneMatch, type LabStats } from './tone-match.js';

/** A product's pixels and look, as both the compositor and the editor's canvas hand them over. */
export interface ProductEffectsInput {
  rgba: Uint8Array;
  width: number;
  height: number;
  transform: LayerTransform;
  opacity: number;
  shadow: ProductLayer['shadow'];
  tone: ProductLayer['tone'];
  edge: ProductLayer['edge'];
}

export interface PreparedProduct {
  /** The product placed in canvas space, toned and edge-treated, ready to blend. */
  patch: Patch;
  /** Solid silhouette (alpha ≥ 0.5) inside the patch. */
  solid: { x0: number; y0: number; x1: number; y1: number };
  tone: { before: LabStats; target: LabStats } | null;
  /** Laid in this order, before the product. */
  drop: ShadowMask | null;
  contact: ShadowMask | null;
}

/**
 * One product's realism, in the order the compositor has always used: place (transform, bilinear),
 * match its tone to the light around it, defringe, feather, wrap the background's light over its
 * edge; then the drop and contact shadows from its alpha. Reads `canvas` (what lies under the
 * product) but never writes it, so the editor can draw the results as separate patches.
 * Null when the product lies outside the canvas or has no solid pixel there.
 */
export function prepareProduct(layer: ProductEffectsInput, canvas: Canvas): PreparedProduct | null {
  const patch = placeImage(layer.rgba, layer.width, layer.height, layer.transform, canvas.width, canvas.height);
  if (!patch) return null;
  const solid = alphaBounds(patch);
  if (!solid) return null;
  const objectHeight = solid.y1 - solid.y0;
  const tone = layer.tone.enabled ? toneMatch(patch, canvas, layer.tone.strength) : null;
  defringe(patch, layer.edge.defringe);
  feather(patch, layer.edge.feather);
  lightWrap(patch, canvas, layer.edge.lightWrap, layer.edge.lightWrapRadius);
  const drop = dropShadowMask(patch, objectHeight, layer.shadow.drop, layer.opacity);
  const contact = contactShadowMask(patch, objectHeight, layer.shadow.contact, layer.opacity);
  return { patch, solid, tone, drop, contact };
}
