import type { RawImage } from '../../../../main/core/images/raw-image.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeImage(width: number, height: number, channels: 3 | 4, pixel: (x: number, y: number, c: number) => number): RawImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = pixel(x, y, c);
    }
  }
  return { data, width, height, channels };
}

export function emptyMask(width: number, height: number): RawImage {
  return { data: new Uint8Array(width * height), width, height, channels: 1 };
}

export function fillRect(mask: RawImage, x0: number, y0: number, x1: number, y1: number, value = 255): RawImage {
  for (let y = Math.max(0, y0); y < Math.min(mask.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(mask.width, x1); x++) mask.data[y * mask.width + x] = value;
  }
  return mask;
}

/** Mean absolute difference over masked pixels (>= 128) between an image and an expected pixel function. */
export function maskedError(image: RawImage, mask: RawImage, expected: (x: number, y: number, c: number) => number, channels = image.channels): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (mask.data[y * image.width + x]! < 128) continue;
      for (let c = 0; c < channels; c++) {
        sum += Math.abs(image.data[(y * image.width + x) * image.channels + c]! - expected(x, y, c));
        n++;
      }
    }
  }
  return n ? sum / n : 0;
}

/** Indexes of bytes that differ outside the mask (mask < 128), every channel; [] when bit-identical. */
export function changedOutsideMask(before: Uint8Array, after: Uint8Array, mask: RawImage, channels: number): number[] {
  const bad: number[] = [];
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i]! >= 128) continue;
    for (let c = 0; c < channels; c++) if (before[i * channels + c] !== after[i * channels + c]) bad.push(i * channels + c);
  }
  return bad;
}
