import sharp from 'sharp';
import type { TextLayer } from '../../../preload/contract/ad-layout.js';
import { ensureBundledFontconfig } from '../fonts/fontconfig.js';
import type { TextBlock } from './text-layout.js';
import { textLayerSvg } from './text-svg.js';

/**
 * Rasterises a text layer to a canvas-sized straight-alpha RGBA overlay with the bundled fonts.
 * Main thread only (fontconfig reads the process environment; sharp does the work off-thread).
 */
export async function renderTextLayer(layer: TextLayer, block: TextBlock, width: number, height: number): Promise<Uint8Array> {
  ensureBundledFontconfig();
  const svg = textLayerSvg(layer, block, width, height);
  const { data, info } = await sharp(Buffer.from(svg), { density: 72, limitInputPixels: false }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    // librsvg rounds the size from the SVG's own attributes; fit exactly (never happens with integer sizes).
    return new Uint8Array(await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer());
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
