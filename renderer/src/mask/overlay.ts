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
