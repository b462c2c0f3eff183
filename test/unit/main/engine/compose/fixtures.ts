import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';

/** A temp folder for one test file; call cleanup() in afterAll. */
export function tempDir(prefix: string): { dir: string; at: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, at: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A cut-out: a bottle-like rounded shape in one colour with a soft (anti-aliased) outline on a
 * transparent canvas, with some transparent margin around it as a real cut-out has.
 */
export function bottleCutout(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 4);
  const mx = width * 0.12;
  const my = height * 0.06;
  const r = (width - 2 * mx) * 0.35;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let cover = 0;
      for (let s = 0; s < 16; s++) {
        const px = x + ((s % 4) + 0.5) / 4;
        const py = y + (Math.floor(s / 4) + 0.5) / 4;
        const inX = px >= mx && px <= width - mx;
        const inY = py >= my && py <= height - my;
        // Rounded corners at the top and bottom.
        const cx = Math.min(Math.max(px, mx + r), width - mx - r);
        const cy = Math.min(Math.max(py, my + r), height - my - r);
        if (inX && inY && Math.hypot(px - cx, py - cy) <= r) cover++;
      }
      const i = (y * width + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = Math.round((cover / 16) * 255);
    }
  }
  return { data, width, height, channels: 4 };
}

export async function writePng(raw: RawImage, file: string): Promise<string> {
  await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }).png().toFile(file);
  return file;
}

export function luma(img: RawImage, x: number, y: number): number {
  const o = (y * img.width + x) * img.channels;
  return 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
}

/** Mean luma over a rectangle (clipped). */
export function meanLuma(img: RawImage, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(img.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(img.width, Math.ceil(x1)); x++) {
      s += luma(img, x, y);
      n++;
    }
  }
  return s / Math.max(1, n);
}
