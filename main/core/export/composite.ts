import type { RawImage } from '../images/raw-image.js';

/**
 * Source-over compositing of straight-alpha RGBA layers onto an RGBA canvas. Two paths:
 * an exact blit for whole-pixel translations (the common case: an untouched photo layer comes out
 * bit-identical) and an inverse-mapped affine with bilinear sampling for everything else.
 */

/** 2×3 affine in canvas pixels: X = a·x + c·y + e, Y = b·x + d·y + f (canvas/Konva order). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** Konva node transform: translate(x,y) · rotate(deg, clockwise on screen) · scale(sx,sy). */
export function konvaAffine(x: number, y: number, scaleX: number, scaleY: number, rotationDeg: number): Affine {
  const r = (rotationDeg * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  return { a: cos * scaleX, b: sin * scaleX, c: -sin * scaleY, d: cos * scaleY, e: x, f: y };
}

function blendPixel(dst: Uint8Array, di: number, r: number, g: number, b: number, srcAlpha: number): void {
  // srcAlpha in 0..1, colours straight (not premultiplied)
  const da = dst[di + 3]! / 255;
  if (da === 0 || srcAlpha >= 1) {
    dst[di] = r;
    dst[di + 1] = g;
    dst[di + 2] = b;
    dst[di + 3] = Math.round(srcAlpha * 255);
    return;
  }
  const keep = da * (1 - srcAlpha);
  const oa = srcAlpha + keep;
  dst[di] = Math.round((r * srcAlpha + dst[di]! * keep) / oa);
  dst[di + 1] = Math.round((g * srcAlpha + dst[di + 1]! * keep) / oa);
  dst[di + 2] = Math.round((b * srcAlpha + dst[di + 2]! * keep) / oa);
  dst[di + 3] = Math.round(oa * 255);
}

/** Draw `src` at integer offset (left, top) with `opacity`, clipped to the canvas. */
export function blitOver(canvas: RawImage, src: RawImage, left: number, top: number, opacity: number): void {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(canvas.width, left + src.width);
  const y1 = Math.min(canvas.height, top + src.height);
  const cd = canvas.data;
  const sd = src.data;
  for (let y = y0; y < y1; y++) {
    let di = (y * canvas.width + x0) * 4;
    let si = ((y - top) * src.width + (x0 - left)) * 4;
    for (let x = x0; x < x1; x++, di += 4, si += 4) {
      const sa = sd[si + 3]!;
      // Onto nothing, or fully opaque: an exact copy (even the colour of transparent pixels).
      if (opacity >= 1 && (sa === 255 || cd[di + 3] === 0)) {
        cd[di] = sd[si]!;
        cd[di + 1] = sd[si + 1]!;
        cd[di + 2] = sd[si + 2]!;
        cd[di + 3] = sa;
      } else if (sa !== 0 && opacity > 0) {
        blendPixel(cd, di, sd[si]!, sd[si + 1]!, sd[si + 2]!, (sa / 255) * opacity);
      }
    }
  }
}

/** Draw `src` through affine `m` (source pixel space → canvas) with bilinear sampling. */
export function affineOver(canvas: RawImage, src: RawImage, m: Affine, opacity: number): void {
  const det = m.a * m.d - m.b * m.c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12 || opacity <= 0) return;
  // Inverse transform: canvas → source.
  const ia = m.d / det;
  const ib = -m.b / det;
  const ic = -m.c / det;
  const id = m.a / det;
  const ie = -(ia * m.e + ic * m.f);
  const iff = -(ib * m.e + id * m.f);

  // Only visit canvas pixels inside the layer's bounding box.
  const corners = [
    [0, 0],
    [src.width, 0],
    [0, src.height],
    [src.width, src.height],
  ].map(([x, y]) => [m.a * x! + m.c * y! + m.e, m.b * x! + m.d * y! + m.f] as const);
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1);
  const x1 = Math.min(canvas.width, Math.ceil(Math.max(...xs)) + 1);
  const y1 = Math.min(canvas.height, Math.ceil(Math.max(...ys)) + 1);

  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const cd = canvas.data;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      // Sample position in source pixel-index space (pixel centres at +0.5).
      const u = ia * cx + ic * cy + ie - 0.5;
      const v = ib * cx + id * cy + iff - 0.5;
      if (u <= -1 || v <= -1 || u >= sw || v >= sh) continue;
      const ux = Math.floor(u);
      const vy = Math.floor(v);
      const fx = u - ux;
      const fy = v - vy;
      let pr = 0;
      let pg = 0;
      let pb = 0;
      let pa = 0;
      // Premultiplied bilinear: transparent neighbours (also outside the image) add no colour.
      for (let k = 0; k < 4; k++) {
        const sx = ux + (k & 1);
        const sy = vy + (k >> 1);
        if (sx < 0 || sy < 0 || sx >= sw || sy >= sh) continue;
        const w = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
        if (w === 0) continue;
        const si = (sy * sw + sx) * 4;
        const a = (sd[si + 3]! / 255) * w;
        pr += sd[si]! * a;
        pg += sd[si + 1]! * a;
        pb += sd[si + 2]! * a;
        pa += a;
      }
      if (pa <= 1e-6) continue;
      blendPixel(cd, (y * canvas.width + x) * 4, Math.round(pr / pa), Math.round(pg / pa), Math.round(pb / pa), Math.min(1, pa) * opacity);
    }
  }
}
