import type { BackgroundRecord } from '../../document/ad-records';
import { backgroundRects } from './background-fit';

export const DARK_COPY = '#111111';
export const LIGHT_COPY = '#ffffff';

/** Mean relative luminance (0..1, sRGB weights) of RGBA pixels. */
export function meanLuminance(rgba: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 3 < rgba.length; i += 4) {
    if (rgba[i + 3]! < 8) continue;
    sum += 0.2126 * rgba[i]! + 0.7152 * rgba[i + 1]! + 0.0722 * rgba[i + 2]!;
    n++;
  }
  return n ? sum / n / 255 : 1;
}

/** Dark copy on a light backdrop, white copy on a dark one (contrast flips near mid-grey). */
export function copyColorFor(luminance: number): string {
  return luminance >= 0.45 ? DARK_COPY : LIGHT_COPY;
}

export interface Band {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The copy colour that reads on the backdrop under `band` (canvas px of a W×H ad): the backdrop is
 * drawn small the way the canvas fits it and its luminance there decides. Null when the backdrop is
 * not decoded yet or this runtime cannot draw (the caller keeps its default).
 */
export function copyColorOver(image: CanvasImageSource & { width: number; height: number }, background: BackgroundRecord, W: number, H: number, band: Band): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const k = Math.min(1, 128 / Math.max(W, H));
  const w = Math.max(1, Math.round(W * k));
  const h = Math.max(1, Math.round(H * k));
  const ctx = new OffscreenCanvas(w, h).getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  const r = backgroundRects(background.props.fit, image.width, image.height, W, H);
  ctx.drawImage(image, r.sx, r.sy, r.sw, r.sh, r.dx * k, r.dy * k, r.dw * k, r.dh * k);
  const x = Math.max(0, Math.floor(band.x * k));
  const y = Math.max(0, Math.floor(band.y * k));
  const bw = Math.max(1, Math.min(w - x, Math.ceil(band.width * k)));
  const bh = Math.max(1, Math.min(h - y, Math.ceil(band.height * k)));
  return copyColorFor(meanLuminance(ctx.getImageData(x, y, bw, bh).data));
}
