import type { RawImage } from '../core/images/raw-image.js';
import type { ModelInfo } from './stage-engine.js';

/** A way of filling masked pixels. `isDefault` marks what Erase and the CLI use without --method. */
export interface InpaintMethod {
  id: string;
  label: string;
  isDefault: boolean;
  /**
   * Set for a method that runs a downloadable model: its id in the model registry (`adstudio models
   * list`), e.g. "lama". Absent for the built-in methods, which need nothing.
   */
  model?: string;
  /** With `model`: whether it is installed. When false the method fails with AppError('not-found'). */
  installed?: boolean;
}

export interface InpaintRequest {
  /** RGBA (4 channels) or RGB (3 channels) pixels. */
  image: RawImage;
  /** 1 channel, same width/height as image; >= 128 means fill. */
  mask: RawImage;
  method?: string;
  signal?: AbortSignal;
  /** 0..1, monotonic. */
  onProgress?: (progress: number, message?: string) => void;
  /**
   * The caller gives up image.data and mask.data: they are moved to the engine's worker instead of
   * copied (a big image is one copy fewer), and may be unusable (detached) afterwards. Default false.
   */
  transferInput?: boolean;
}

export interface InpaintResult {
  image: RawImage;
  /** e.g. "inpaint:telea" — shown to the user as what made the pixels. */
  madeBy: string;
}

/**
 * The embedded engine's erase stage. Runs off the calling thread (worker threads); pixels outside the
 * mask come back bit-identical. Rejects with AppError('cancelled') when the signal aborts.
 */
export interface InpaintEngine {
  methods(): InpaintMethod[];
  inpaint(request: InpaintRequest): Promise<InpaintResult>;
  /**
   * Optional: the installed models its methods run (e.g. LaMa), as StageEngine.models() reports them,
   * so a scheduler over the engine budgets and loads them explicitly.
   */
  models?(): ModelInfo[];
  /** Optional: opens a model's session ahead of a run; AppError('not-found') when it is not installed. */
  loadModel?(id: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Optional: releases a model's session (a no-op when it is not open). */
  unloadModel?(id: string): Promise<void>;
  close(): Promise<void>;
}
