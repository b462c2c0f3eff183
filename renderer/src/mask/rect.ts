/** An integer pixel rectangle (what changed, what to redraw). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Smallest rect containing both (null = nothing). */
export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** Integer rect of pixels [x0, x1) × [y0, y1) clipped to the image; null if empty. */
export function clipRect(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Rect | null {
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(width, Math.ceil(x1));
  const bottom = Math.min(height, Math.ceil(y1));
  if (right <= left || bottom <= top) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function assertMaskSize(mask: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`mask size ${width}×${height} is not a positive integer size`);
  }
  if (mask.length !== width * height) throw new Error(`mask has ${mask.length} bytes, expected ${width}×${height} = ${width * height}`);
}
