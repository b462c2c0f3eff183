import { imageRectToScreen, maskToScreenRGBA, type ScreenMapping } from '../mask/overlay';
import { unionRect, type Rect } from '../mask/rect';

export interface MaskViewSource {
  /** The live mask (null: nothing to show). */
  mask(): { data: Uint8Array; width: number; height: number } | null;
  appearance(): { color: string; opacity: number };
  /** The transform the stage draws the image with right now. */
  mapping(): ScreenMapping;
}

/**
 * Draws the mask overlay straight into a screen-sized canvas (the mask Konva layer's own canvas),
 * in screen pixels. A brush move rewrites only the few canvas pixels its dirty rect covers and puts
 * just those: nothing the size of the image (a 4096² overlay is 64 MB) is touched or re-uploaded
 * per frame. Pan, zoom, resize, colour or a new mask redraw the whole canvas once (its size, not
 * the image's). Work is batched to one pass per animation frame.
 */
export class MaskView {
  private pixels: ImageData | null = null;
  private dirty: Rect | null = null;
  private full = true;
  private frame: number | null = null;
  private disposed = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly source: MaskViewSource,
  ) {}

  /** An image rect changed (null: everything, e.g. the view moved). Drawn at the next frame. */
  invalidate(imageRect: Rect | null): void {
    if (this.disposed) return;
    if (!imageRect) this.full = true;
    else if (!this.full) {
      const r = imageRectToScreen(imageRect, this.source.mapping(), this.canvas.width, this.canvas.height);
      if (r.width > 0 && r.height > 0) this.dirty = unionRect(this.dirty, r);
    }
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.flush();
    });
  }

  /** Draw what is pending now. */
  flush(): void {
    if (this.disposed) return;
    const ctx = this.canvas.getContext('2d');
    const { width, height } = this.canvas;
    if (!ctx || width === 0 || height === 0) return;
    // Konva re-allocates (and clears) the canvas when the stage is resized.
    if (!this.pixels || this.pixels.width !== width || this.pixels.height !== height) {
      this.pixels = ctx.createImageData(width, height);
      this.full = true;
    }
    const mask = this.source.mask();
    const rect = this.full ? { x: 0, y: 0, width, height } : this.dirty;
    this.full = false;
    this.dirty = null;
    if (!rect) return;
    if (!mask) {
      ctx.clearRect(0, 0, width, height);
      return;
    }
    const { color, opacity } = this.source.appearance();
    const r = maskToScreenRGBA(mask.data, mask.width, mask.height, color, opacity, this.pixels.data, width, height, this.source.mapping(), rect);
    if (r.width > 0 && r.height > 0) ctx.putImageData(this.pixels, 0, 0, r.x, r.y, r.width, r.height);
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.pixels = null;
  }
}
