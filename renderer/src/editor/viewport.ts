/**
 * The view transform (session state, never in history): screen = image * zoom + (x, y).
 * Pure functions so zoom/pan behaviour is unit-tested without a DOM.
 */
export interface Viewport {
  zoom: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 32;
/** Wheel zoom steps; also used by the zoom in/out actions. */
export const ZOOM_STEP = 1.2;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Whole image visible and centred, never upscaled beyond 100% for small images. */
export function fitViewport(image: Size, view: Size, padding = 32): Viewport {
  const availW = Math.max(1, view.width - padding * 2);
  const availH = Math.max(1, view.height - padding * 2);
  const zoom = clampZoom(Math.min(1, availW / image.width, availH / image.height));
  return centred(image, view, zoom);
}

/** Centre the image at a given zoom. */
export function centred(image: Size, view: Size, zoom: number): Viewport {
  return {
    zoom,
    x: Math.round((view.width - image.width * zoom) / 2),
    y: Math.round((view.height - image.height * zoom) / 2),
  };
}

/** Zoom so the image point under `anchor` (screen px) stays under it. */
export function zoomAround(vp: Viewport, newZoom: number, anchor: Point): Viewport {
  const zoom = clampZoom(newZoom);
  const ix = (anchor.x - vp.x) / vp.zoom;
  const iy = (anchor.y - vp.y) / vp.zoom;
  return { zoom, x: anchor.x - ix * zoom, y: anchor.y - iy * zoom };
}

/** Wheel delta → zoom factor; trackpads send small deltas, mice ±100, so scale smoothly. */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const clamped = Math.max(-100, Math.min(100, px));
  return Math.pow(ZOOM_STEP, -clamped / 100);
}

export function screenToImage(vp: Viewport, p: Point): Point {
  return { x: (p.x - vp.x) / vp.zoom, y: (p.y - vp.y) / vp.zoom };
}

export function panBy(vp: Viewport, dx: number, dy: number): Viewport {
  return { zoom: vp.zoom, x: vp.x + dx, y: vp.y + dy };
}

export function zoomPercent(vp: Viewport): number {
  const pct = vp.zoom * 100;
  return pct < 10 ? Math.round(pct * 10) / 10 : Math.round(pct);
}
