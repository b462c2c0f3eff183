/** Decoded pixels, row-major, interleaved channels. Masks are 1-channel (255 = selected). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}
