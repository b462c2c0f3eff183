/**
 * Payload and result of one inpaint job in a worker (see inpaint-worker.ts). Either the buffers are
 * moved in and out (one worker), or image and mask live in SharedArrayBuffers and several workers
 * each fill their `part` of the regions in place (disjoint pixels, so no locking is needed).
 */
export interface InpaintJob {
  method: string;
  width: number;
  height: number;
  channels: 3 | 4;
  /** width*height*channels; the worker fills masked pixels in place. */
  image: Uint8Array;
  /** width*height, >= 128 = fill. */
  mask: Uint8Array;
  /** Set when image and mask are shared: fill only this part's regions, reply without the pixels. */
  part?: { index: number; count: number };
}

export interface InpaintJobResult {
  /** The filled image; absent for a part (the pixels are in the shared buffer). */
  image?: Uint8Array;
  regions: number;
  filledPixels: number;
}
