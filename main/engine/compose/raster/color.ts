import { AppError } from '../../../../preload/contract/index.js';
import type { Rgb } from './lab.js';

/** "#rrggbb" / "#rrggbbaa" → [r, g, b] (0..255) and alpha (0..1). */
export function parseColor(hex: string): { rgb: Rgb; alpha: number } {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(hex.trim());
  if (!m) throw new AppError('bad-request', `"${hex}" is not a colour; use #rrggbb or #rrggbbaa`);
  const v = parseInt(m[1]!, 16);
  return { rgb: [(v >> 16) & 255, (v >> 8) & 255, v & 255], alpha: m[2] ? parseInt(m[2], 16) / 255 : 1 };
}

export function toHex(rgb: readonly number[]): string {
  return `#${rgb
    .slice(0, 3)
    .map((c) => Math.max(0, Math.min(255, Math.round(c))).toString(16).padStart(2, '0'))
    .join('')}`;
}

/** Relative luminance 0..1 (sRGB weights on gamma values: a quick light/dark decision). */
export function luma(r: number, g: number, b: number): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}
