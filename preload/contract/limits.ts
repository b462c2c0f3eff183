/** Hard limits shared by main (enforced) and renderer (checked early for a friendly message). */
export const LIMITS = {
  /** Largest image we decode: 100 megapixels (a decompression bomb is rejected from its header). */
  maxPixels: 100_000_000,
  /** Largest side in pixels (WebGL/canvas limits in Chromium are ~16k–32k). */
  maxSide: 16_384,
  /** Largest encoded file accepted from the renderer or the CLI. */
  maxFileBytes: 256 * 1024 * 1024,
  /** Largest WebSocket message (binary frame) the browser bridge accepts. */
  maxMessageBytes: 300 * 1024 * 1024,
} as const;

export const IMAGE_MIME = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageMime = (typeof IMAGE_MIME)[number];
export const EXPORT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
