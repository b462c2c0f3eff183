import sharp from 'sharp';
import { distanceTo } from '../../../../../main/engine/compose/raster/distance.js';
import { fixture } from '../../../../support/fixtures.js';

/**
 * A rough expected product region for the banana photo, computed by colour: the backdrop is pure
 * white, the banana yellow with brown stem and spots. Good to a pixel or two along the outline.
 */
export async function bananaTruth(): Promise<{ rgb: Uint8Array; width: number; height: number; inside: Uint8Array }> {
  const { data, info } = await sharp(fixture('product-banana.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = info.width * info.height;
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    inside[i] = (r + g) / 2 - b > 40 || Math.max(r, g, b) < 200 ? 1 : 0;
  }
  return { rgb, width: info.width, height: info.height, inside };
}

/** 1 where a pixel is `value` and at least `r` px from any pixel that is not. */
export function deep(mask: Uint8Array, width: number, height: number, value: 0 | 1, r: number): Uint8Array {
  const d = distanceTo(width, height, (i) => mask[i] !== value);
  return Uint8Array.from(d, (v) => (v >= r ? 1 : 0));
}
