import { kmeans3 } from '../detect-text/kmeans.js';
import { deltaE, labOf, rgbOf, rgbToLab, type Rgb } from '../compose/raster/lab.js';

export interface PaletteColour {
  rgb: Rgb;
  lab: Rgb;
  /** Share of the sampled product pixels, 0..1. */
  weight: number;
}

/**
 * The main colours of a product: k-means in Lab over its opaque pixels (a cut-out's alpha ≥ 0.8).
 * An image without transparency is taken as a product photo: pixels close to its border colour
 * (the backdrop) are left out. Most prominent first; near-duplicates merged.
 */
export function extractPalette(data: Uint8Array, width: number, height: number, channels: 3 | 4, k = 5): PaletteColour[] {
  const n = width * height;
  const hasAlpha = channels === 4 && hasTransparency(data, n);
  const skip = hasAlpha ? null : borderColour(data, width, height, channels);
  const step = Math.max(1, Math.floor(n / 40000));
  const pts: number[] = [];
  const lab = new Float32Array(3);
  for (let i = 0; i < n; i += step) {
    const o = i * channels;
    if (hasAlpha && data[o + 3]! < 204) continue;
    rgbToLab(data[o]!, data[o + 1]!, data[o + 2]!, lab, 0);
    if (skip && Math.hypot(lab[0]! - skip[0], lab[1]! - skip[1], lab[2]! - skip[2]) < 12) continue;
    pts.push(lab[0]!, lab[1]!, lab[2]!);
  }
  if (pts.length < 30) return [];
  const points = Float32Array.from(pts);
  const first: Rgb = [points[0]!, points[1]!, points[2]!];
  const { labels, centres, count } = kmeans3(points, k, first, { sample: 6000, iterations: 10, minSpread: 8 });
  const sizes = new Float64Array(count);
  for (const l of labels) sizes[l] = sizes[l]! + 1;
  const total = labels.length;
  let out: PaletteColour[] = [];
  for (let j = 0; j < count; j++) {
    const c: Rgb = [centres[j * 3]!, centres[j * 3 + 1]!, centres[j * 3 + 2]!];
    out.push({ lab: c, rgb: rgbFromLab(c), weight: sizes[j]! / total });
  }
  out.sort((a, b) => b.weight - a.weight);
  // Merge near-duplicates into the heavier one.
  const merged: PaletteColour[] = [];
  for (const c of out) {
    const same = merged.find((m) => deltaE(m.lab, c.lab) < 10);
    if (same) same.weight += c.weight;
    else merged.push({ ...c });
  }
  out = merged.filter((c) => c.weight >= 0.03);
  return out;
}

/** Palette from "#rrggbb" strings (most prominent first, equal weights). */
export function paletteFromHex(rgbs: Rgb[]): PaletteColour[] {
  return rgbs.map((rgb) => ({ rgb, lab: labOf(rgb), weight: 1 / rgbs.length }));
}

function rgbFromLab(lab: Rgb): Rgb {
  return rgbOf(lab).map((v) => Math.round(v)) as Rgb;
}

function hasTransparency(data: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (data[i * 4 + 3]! < 250) return true;
  return false;
}

function borderColour(data: Uint8Array, width: number, height: number, channels: number): Rgb {
  const lab = new Float32Array(3);
  let l = 0;
  let a = 0;
  let b = 0;
  let count = 0;
  const add = (x: number, y: number) => {
    const o = (y * width + x) * channels;
    rgbToLab(data[o]!, data[o + 1]!, data[o + 2]!, lab, 0);
    l += lab[0]!;
    a += lab[1]!;
    b += lab[2]!;
    count++;
  };
  for (let x = 0; x < width; x += 2) {
    add(x, 0);
    add(x, height - 1);
  }
  for (let y = 0; y < height; y += 2) {
    add(0, y);
    add(width - 1, y);
  }
  return [l / count, a / count, b / count];
}
