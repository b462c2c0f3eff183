import type { HistoryLabel, MaskSurface, PixelRect } from './tools/tool-types';

export function unionRect(a: PixelRect | null, b: PixelRect): PixelRect {
  if (!a) return { ...b };
  const x0 = Math.min(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const x1 = Math.max(a.x + a.width, b.x + b.width);
  const y1 = Math.max(a.y + a.height, b.y + b.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export interface MaskSurfaceHooks {
  /** Redraw the display over `rect` (the whole mask when null). */
  repaint(rect: PixelRect | null): void;
  /** The gesture is finished: `data` is a private copy of the mask to store as one undo step. */
  commit(data: Uint8Array, label: HistoryLabel, dirty: PixelRect | null): void;
}

export interface LiveMask extends MaskSurface {
  /** Replace the whole mask (a reload after undo/redo or a mask action); ends any gesture. */
  replace(data: Uint8Array): void;
  /** True between begin() and commit()/restore(). */
  inGesture(): boolean;
}

/**
 * The working mask: tools paint into `data` directly; begin() keeps a snapshot so Escape restores
 * the exact bytes, and only the dirty region is redrawn and restored.
 */
export function createLiveMask(width: number, height: number, initial: Uint8Array | null, hooks: MaskSurfaceHooks): LiveMask {
  const data = new Uint8Array(width * height);
  if (initial) data.set(initial.subarray(0, data.length));
  let snapshot: Uint8Array | null = null;
  let dirty: PixelRect | null = null;

  return {
    width,
    height,
    data,
    begin() {
      snapshot = data.slice();
      dirty = null;
    },
    changed(rect) {
      const x0 = Math.max(0, Math.floor(rect.x));
      const y0 = Math.max(0, Math.floor(rect.y));
      const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
      const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
      if (x1 <= x0 || y1 <= y0) return;
      const r = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      dirty = unionRect(dirty, r);
      hooks.repaint(r);
    },
    restore() {
      if (!snapshot) return;
      const r = dirty;
      if (r) {
        for (let y = r.y; y < r.y + r.height; y++) {
          const start = y * width + r.x;
          data.set(snapshot.subarray(start, start + r.width), start);
        }
        hooks.repaint(r);
      }
      snapshot = null;
      dirty = null;
    },
    commit(label) {
      const r = dirty;
      snapshot = null;
      dirty = null;
      if (!r) return; // nothing painted (e.g. a click outside the image): no history entry
      hooks.commit(data.slice(), label, r);
    },
    replace(next) {
      snapshot = null;
      dirty = null;
      data.fill(0);
      data.set(next.subarray(0, data.length));
      hooks.repaint(null);
    },
    inGesture: () => snapshot !== null,
  };
}
