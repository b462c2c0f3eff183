import type { RawImage } from '../../core/images/raw-image.js';
import { MASK_THRESHOLD } from '../inpaint/mask-regions.js';
import type { LamaWindow } from './hd-plan.js';
import { resizeArea, sampleBilinear, symmetricIndex } from './resample.js';

/** A window turned into the network's inputs. */
export interface WindowTensors {
  /** 3·S·S, RGB planes, 0..1, holes zeroed (as LaMa's own training did). */
  image: Float32Array;
  /** S·S, 1 = hole. */
  mask: Float32Array;
  /** Input pixels per image pixel (≤ 1; < 1 when the window was shrunk to fit). */
  scale: number;
  /** Size of the (scaled) crop in the top-left corner of the input; the rest is padding. */
  sw: number;
  sh: number;
}

/**
 * Cuts a window out of the image: RGB planes and the still-unfilled mask, shrunk by area averaging
 * when the window is larger than the input (any masked share makes a hole: a partly covered pixel of
 * text must not become context), then padded symmetrically to S×S (padding holes stay holes).
 */
export function cutWindow(image: RawImage, pending: Uint8Array, win: LamaWindow, size: number): WindowTensors {
  const { w, h } = win;
  const C = image.channels;
  const n = w * h;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const hole = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    let s = (win.y + y) * image.width + win.x;
    for (let x = 0; x < w; x++, s++) {
      const o = y * w + x;
      const d = s * C;
      planes[0]![o] = image.data[d]! / 255;
      planes[1]![o] = image.data[d + 1]! / 255;
      planes[2]![o] = image.data[d + 2]! / 255;
      hole[o] = pending[s]!;
    }
  }
  const longest = Math.max(w, h);
  const scale = longest > size ? size / longest : 1;
  const sw = scale < 1 ? Math.max(1, Math.round(w * scale)) : w;
  const sh = scale < 1 ? Math.max(1, Math.round(h * scale)) : h;
  const src = scale < 1 ? planes.map((p) => resizeArea(p, w, h, sw, sh)) : planes;
  const srcHole = scale < 1 ? resizeArea(hole, w, h, sw, sh).map((v) => (v > 1e-6 ? 1 : 0)) : hole;

  const plane = size * size;
  const outImage = new Float32Array(3 * plane);
  const outMask = new Float32Array(plane);
  for (let y = 0; y < size; y++) {
    const sy = symmetricIndex(y, sh) * sw;
    for (let x = 0; x < size; x++) {
      const si = sy + symmetricIndex(x, sw);
      const o = y * size + x;
      const m = srcHole[si]!;
      outMask[o] = m;
      const keep = 1 - m;
      outImage[o] = src[0]![si]! * keep;
      outImage[plane + o] = src[1]![si]! * keep;
      outImage[2 * plane + o] = src[2]![si]! * keep;
    }
  }
  return { image: outImage, mask: outMask, scale, sw, sh };
}

/**
 * Writes the network's result for the window's own pixels (masked, still pending, of its regions,
 * inside its core) into the image, rounded and clamped; everything else — alpha included — is left
 * alone. Returns the number of pixels written.
 */
export function pasteWindow(
  image: RawImage,
  mask: RawImage,
  pending: Uint8Array,
  owns: (index: number) => boolean,
  output: Float32Array,
  outputMax: number,
  win: LamaWindow,
  tensors: WindowTensors,
  size: number,
): number {
  const C = image.channels;
  const plane = size * size;
  const toByte = 255 / outputMax;
  const { scale, sw, sh } = tensors;
  const { core } = win;
  const planes = [0, 1, 2].map((c) => output.subarray(c * plane, (c + 1) * plane));
  let written = 0;
  const y0 = Math.max(win.y, core.y0);
  const y1 = Math.min(win.y + win.h, core.y1);
  const x0 = Math.max(win.x, core.x0);
  const x1 = Math.min(win.x + win.w, core.x1);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const s = y * image.width + x;
      if (!pending[s] || mask.data[s]! < MASK_THRESHOLD || !owns(s)) continue;
      const lx = x - win.x;
      const ly = y - win.y;
      const d = s * C;
      for (let c = 0; c < 3; c++) {
        const p = planes[c]!;
        const v = (scale < 1 ? sampleBilinear(p, size, sw, sh, (lx + 0.5) * scale - 0.5, (ly + 0.5) * scale - 0.5) : p[ly * size + lx]!) * toByte;
        const r = Math.round(v);
        image.data[d + c] = r < 0 ? 0 : r > 255 ? 255 : r;
      }
      pending[s] = 0;
      written++;
    }
  }
  return written;
}
