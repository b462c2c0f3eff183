/**
 * What a fill method sees: one padded crop around one mask region. The driver (inpaint-pixels.ts) cuts the
 * crop, and afterwards copies back only FILL pixels, so a method can never touch anything else.
 */

/** Pixel states inside a crop. */
export const KNOWN = 0; // an original pixel outside every mask: usable as a source
export const FILL = 1; // a masked pixel of this region: the method computes it
export const SKIP = 2; // padding, or a masked pixel of another region: neither source nor target

export interface FillCrop {
  /** Size including `padding` on every side (padding pixels are SKIP). */
  width: number;
  height: number;
  channels: number;
  /** width*height*channels, interleaved, 0..255 as floats. FILL positions are written by the method. */
  pixels: Float32Array;
  /** width*height states (KNOWN / FILL / SKIP). */
  state: Uint8Array;
  /** Number of FILL pixels. */
  fillCount: number;
}

export interface FillContext {
  /**
   * Call every few thousand pixels. Records progress within this crop (0..1) and throws
   * AppError('cancelled') when the job was cancelled.
   */
  checkpoint(fraction: number): void;
}

/** A registered way of filling masked pixels. */
export interface FillMethod {
  id: string;
  label: string;
  /** Known pixels wanted around the mask's bounding box, at least. */
  margin: number;
  /**
   * Margin in proportion to the region's thickness (the short side of its box, about a text line's
   * height): a big hole needs more context to copy from than a thin one. Default 0 (fixed margin).
   */
  marginScale?: number;
  /** Upper bound of the proportional margin (keeps a huge region's crop affordable). */
  maxMargin?: number;
  /** SKIP border the method needs so neighbourhood loops never leave the crop (no bounds checks). */
  padding: number;
  fill(crop: FillCrop, ctx: FillContext): void;
}
