import { assertMaskSize, type Rect } from './rect';

/**
 * Paint the mask as a coloured, translucent overlay into RGBA pixels (an ImageData's `data`, which
 * is not premultiplied): colour everywhere, alpha = mask × opacity. Only `dirty` is rewritten when
 * given, so a brush stroke on a 4096² mask redraws just its rect. One 32-bit write per pixel through
 * a 256-entry table. Returns the rect written.
 */
export function maskToOverlayRGBA(
  mask: Uint8Array,
  width: number,
  height: number,
  color: string,
  opacity: number,
  out: Uint8ClampedArray,
  dirty?: Rect | null,
): Rect {
  assertMaskSize(mask, width, height);
  if (out.length !== width * height * 4) throw new Error(`overlay buffer has ${out.length} bytes, expected ${width * height * 4}`);
  const rect = clampRect(dirty ?? { x: 0, y: 0, width, height }, width, height);
  if (rect.width === 0 || rect.height === 0) return rect;
  const table = overlayTable(color, opacity);

  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    const px = new Uint32Array(out.buffer, out.byteOffset, width * height);
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      const row = y * width;
      for (let i = row + rect.x, end = row + rect.x + rect.width; i < end; i++) px[i] = table[mask[i]!]!;
    }
    return rect;
  }
  const [r, g, b] = parseColor(color);
  const a = clamp01(opacity);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = y * width + x;
      const o = i * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = Math.round(mask[i]! * a);
    }
  }
  return rect;
}

/** "#rrggbb" → [r, g, b]; anything else is an error (settings validate the same format). */
export function parseColor(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`mask colour must look like #rrggbb, got "${color}"`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
let cached: { key: string; table: Uint32Array } | null = null;

function overlayTable(color: string, opacity: number): Uint32Array {
  const key = `${color}/${opacity}`;
  if (cached?.key === key) return cached.table;
  const [r, g, b] = parseColor(color);
  const a = clamp01(opacity);
  const table = new Uint32Array(256);
  for (let v = 0; v < 256; v++) table[v] = ((Math.round(v * a) << 24) | (b << 16) | (g << 8) | r) >>> 0;
  cached = { key, table };
  return table;
}

function clampRect(r: Rect, width: number, height: number): Rect {
  const x = Math.max(0, Math.min(width, Math.floor(r.x)));
  const y = Math.max(0, Math.min(height, Math.floor(r.y)));
  const right = Math.max(x, Math.min(width, Math.ceil(r.x + r.width)));
  const bottom = Math.max(y, Math.min(height, Math.ceil(r.y + r.height)));
  return { x, y, width: right - x, height: bottom - y };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}

/** Where the image sits on a canvas: device px = (x + image px × zoom) × pixelRatio (Konva's stage transform). */
export interface ScreenMapping {
  zoom: number;
  x: number;
  y: number;
  pixelRatio: number;
}

/** The canvas pixels (device px) an image rect can cover under `map`, clipped to the canvas. */
export function imageRectToScreen(rect: Rect, map: ScreenMapping, canvasWidth: number, canvasHeight: number): Rect {
  const s = map.zoom * map.pixelRatio;
  const ox = map.x * map.pixelRatio;
  const oy = map.y * map.pixelRatio;
  return clampRect({ x: ox + rect.x * s, y: oy + rect.y * s, width: rect.width * s, height: rect.height * s }, canvasWidth, canvasHeight);
}

/**
 * The overlay as seen on screen: fill `screen` (device px of an RGBA canvas of canvasWidth ×
 * canvasHeight) with the mask colour, alpha = mask × opacity, sampling the mask pixel under each
 * canvas pixel's centre (nearest neighbour, as drawing the full-size overlay without smoothing did).
 * Outside the image it writes transparent. Cost follows the canvas area touched, never the image
 * size, so a brush dab on a 4096² mask repaints a few hundred pixels. Returns the rect written.
 */
export function maskToScreenRGBA(
  mask: Uint8Array,
  width: number,
  height: number,
  color: string,
  opacity: number,
  out: Uint8ClampedArray,
  canvasWidth: number,
  canvasHeight: number,
  map: ScreenMapping,
  screen?: Rect | null,
): Rect {
  assertMaskSize(mask, width, height);
  if (out.length !== canvasWidth * canvasHeight * 4) throw new Error(`overlay buffer has ${out.length} bytes, expected ${canvasWidth * canvasHeight * 4}`);
  if (!(map.zoom > 0) || !(map.pixelRatio > 0)) throw new Error(`cannot map the mask at zoom ${map.zoom}, pixel ratio ${map.pixelRatio}`);
  const rect = clampRect(screen ?? { x: 0, y: 0, width: canvasWidth, height: canvasHeight }, canvasWidth, canvasHeight);
  if (rect.width === 0 || rect.height === 0) return rect;
  const table = overlayTable(color, opacity);
  // Image column under each canvas column of the rect (-1 = outside the image).
  const cols = new Int32Array(rect.width);
  for (let i = 0; i < rect.width; i++) {
    const ix = Math.floor(((rect.x + i + 0.5) / map.pixelRatio - map.x) / map.zoom);
    cols[i] = ix >= 0 && ix < width ? ix : -1;
  }
  const px = LITTLE_ENDIAN && out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, canvasWidth * canvasHeight) : null;
  const [r, g, b] = px ? [0, 0, 0] : parseColor(color);
  const a = clamp01(opacity);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const iy = Math.floor(((y + 0.5) / map.pixelRatio - map.y) / map.zoom);
    const row = iy >= 0 && iy < height ? iy * width : -1;
    let o = y * canvasWidth + rect.x;
    for (let i = 0; i < rect.width; i++, o++) {
      const ix = cols[i]!;
      const v = row >= 0 && ix >= 0 ? mask[row + ix]! : -1;
      if (px) px[o] = v < 0 ? 0 : table[v]!;
      else {
        const q = o * 4;
        out[q] = v < 0 ? 0 : r;
        out[q + 1] = v < 0 ? 0 : g;
        out[q + 2] = v < 0 ? 0 : b;
        out[q + 3] = v < 0 ? 0 : Math.round(v * a);
      }
    }
  }
  return rect;
}
