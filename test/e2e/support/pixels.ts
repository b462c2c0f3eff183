import sharp from 'sharp';

export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Decode to 8-bit RGB (alpha dropped: the fixtures and exports are opaque). */
export async function decodeRgb(input: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(input).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Decode a mask PNG to one byte per pixel (first channel; masks are stored grey). */
export async function decodeGray(input: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(input).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

/** 1 where any pixel within `radius` (square neighbourhood) is > 0. */
export function dilate(mask: Raster, radius = 1): Uint8Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[y * w + x]! === 0) continue;
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
      }
    }
  }
  return out;
}

export interface MaskedDiff {
  /** Pixels outside the dilated mask whose RGB differs at all. */
  outsideChanged: number;
  outsideTotal: number;
  /** Mean absolute RGB difference over fully masked pixels (255). */
  insideMeanAbsDiff: number;
  insideTotal: number;
}

/** How `after` differs from `before` outside and inside a mask (all the same size, RGB). */
export function diffByMask(before: Raster, after: Raster, mask: Raster): MaskedDiff {
  if (before.width !== after.width || before.height !== after.height || mask.width !== before.width || mask.height !== before.height) {
    throw new Error(`sizes differ: ${before.width}×${before.height}, ${after.width}×${after.height}, mask ${mask.width}×${mask.height}`);
  }
  const near = dilate(mask, 1);
  let outsideChanged = 0;
  let outsideTotal = 0;
  let insideSum = 0;
  let insideTotal = 0;
  for (let i = 0; i < near.length; i++) {
    const o = i * 3;
    const d = Math.abs(before.data[o]! - after.data[o]!) + Math.abs(before.data[o + 1]! - after.data[o + 1]!) + Math.abs(before.data[o + 2]! - after.data[o + 2]!);
    if (near[i] === 0) {
      outsideTotal++;
      if (d !== 0) outsideChanged++;
    } else if (mask.data[i] === 255) {
      insideTotal++;
      insideSum += d / 3;
    }
  }
  return { outsideChanged, outsideTotal, insideMeanAbsDiff: insideTotal ? insideSum / insideTotal : 0, insideTotal };
}

/** Bounding box of pixels > 0, or null for an empty mask. */
export function boundingBox(mask: Raster): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x]! === 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}
