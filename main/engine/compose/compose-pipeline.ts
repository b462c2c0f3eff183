import { AppError } from '../../../preload/contract/index.js';
import { blendOverlay, blendPatch } from './blend.js';
import type { ComposeJob, ComposeJobResult, PlacedProduct } from './compose-job.js';
import { prepareProduct } from './product-effects.js';
import { layShadow, type Canvas } from './shadows.js';

export interface ComposeControl {
  isCancelled(): boolean;
  progress(p: number, message?: string): void;
}

/**
 * Draws the layers over the background in z-order. Per product: its effects (prepareProduct: place,
 * tone match, defringe, feather, light wrap, shadows from its alpha), then drop shadow and contact
 * shadow onto the canvas, then the product itself. Text layers
 * arrive already rendered and are blended as they are.
 */
export function composeLayers(job: ComposeJob, ctl: ComposeControl): ComposeJobResult {
  const { width, height } = job;
  const canvas: Canvas = { width, height, rgb: new Float32Array(width * height * 3) };
  for (let i = 0; i < canvas.rgb.length; i++) canvas.rgb[i] = job.background[i]!;
  const placed: PlacedProduct[] = [];
  job.layers.forEach((layer, index) => {
    if (ctl.isCancelled()) throw new AppError('cancelled', 'composing was cancelled');
    ctl.progress(index / job.layers.length, layer.kind === 'product' ? `product ${layer.id}` : `text ${layer.id}`);
    if (layer.kind === 'overlay') {
      blendOverlay(canvas, layer.rgba);
      return;
    }
    const prepared = prepareProduct(layer, canvas);
    if (!prepared) return;
    const { patch, solid, tone } = prepared;
    const objectHeight = solid.y1 - solid.y0;
    if (prepared.drop) layShadow(canvas, prepared.drop);
    if (prepared.contact) layShadow(canvas, prepared.contact);
    blendPatch(canvas, patch, layer.opacity);
    placed.push({
      id: layer.id,
      bounds: { x: patch.x0 + solid.x0, y: patch.y0 + solid.y0, width: solid.x1 - solid.x0, height: objectHeight },
      ...(tone ? { tone: { before: tone.before.mean, target: tone.target.mean } } : {}),
    });
  });
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) {
    const v = canvas.rgb[i]!;
    rgb[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  ctl.progress(1, 'done');
  return { rgb, placed };
}
