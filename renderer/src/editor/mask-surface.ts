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
  commit(data: Uint8Array<ArrayBuffer>, label: HistoryLabel, dirty: PixelRect | null): void;
}

export interface LiveMask extends MaskSurface {
  /** Replace the whole mask (a reload after undo/redo or a mask action); ends any gesture. */
  replace(data: Uint8Array): void;
  /** True between begin() and commit()/restore(). */
  inGesture(): boolean;
}

/**
 * The working mask: tools paint into `data` directly, and only the dirty region is redrawn.
 * `base` holds the mask as it was before the gesture (kept equal to `data` between gestures), so
 * begin() costs nothing, Escape restores the exact bytes of the dirty rows, and a commit updates
 * just those rows. The private copy each commit hands over goes into a spare buffer prepared while
 * the UI is idle: allocating 16 MB right at pointer-up can take longer than the whole stroke.
 */
export function createLiveMask(width: number, height: number, initial: Uint8Array | null, hooks: MaskSurfaceHooks): LiveMask {
  const data = new Uint8Array(width * height);
  if (initial) data.set(initial.subarray(0, data.length));
  // A fresh buffer costs nothing until written (zero pages), so an empty mask's base is free.
  const base = new Uint8Array(width * height);
  if (initial) base.set(data);
  let painting = false;
  let dirty: PixelRect | null = null;
  let spare: Uint8Array<ArrayBuffer> | null = null;
  let preparing = false;

  const copyRows = (from: Uint8Array, to: Uint8Array, r: PixelRect) => {
    for (let y = r.y; y < r.y + r.height; y++) {
      const start = y * width + r.x;
      to.set(from.subarray(start, start + r.width), start);
    }
  };
  const prepareSpare = () => {
    if (spare || preparing) return;
    preparing = true;
    const run = () => {
      // Never in the middle of a stroke: that would be a hitch under the brush.
      if (painting) return whenIdle(run);
      preparing = false;
      // fill() touches every page now, so the copy at the next pointer-up is a plain memcpy.
      spare ??= new Uint8Array(width * height).fill(0);
    };
    whenIdle(run);
  };
  const takeCopy = (): Uint8Array<ArrayBuffer> => {
    const out = spare ?? new Uint8Array(width * height);
    spare = null;
    out.set(data);
    prepareSpare();
    return out;
  };

  // Not right away: the first paint of a just-opened image has priority.
  setTimeout(prepareSpare, SPARE_DELAY_MS);
  return {
    width,
    height,
    data,
    begin() {
      painting = true;
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
      if (!painting) return;
      const r = dirty;
      if (r) {
        copyRows(base, data, r);
        hooks.repaint(r);
      }
      painting = false;
      dirty = null;
    },
    commit(label) {
      const r = dirty;
      painting = false;
      dirty = null;
      if (!r) return; // nothing painted (e.g. a click outside the image): no history entry
      copyRows(data, base, r);
      hooks.commit(takeCopy(), label, r);
    },
    replace(next) {
      painting = false;
      dirty = null;
      data.fill(0);
      data.set(next.subarray(0, data.length));
      base.set(data);
      hooks.repaint(null);
    },
    inGesture: () => painting,
  };
}

const SPARE_DELAY_MS = 1000;

function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn());
  else setTimeout(fn, 50);
}
