/** Payload and result of one inpaint job in a worker (see inpaint-worker.ts). Buffers are transferred. */
export interface InpaintJob {
  method: string;
  width: number;
  height: number;
  channels: 3 | 4;
  /** width*height*channels; the worker owns it and fills masked pixels in place. */
  image: Uint8Array;
  /** width*height, >= 128 = fill. */
  mask: Uint8Array;
}

export interface InpaintJobResult {
  image: Uint8Array;
  regions: number;
  filledPixels: number;
}
