import { FILL, KNOWN, type FillCrop } from './fill-types.js';

export interface CropPlanes {
  /** One plane per channel that varies over the known pixels. */
  planes: Float32Array[];
  /** Crop channel of each plane. */
  channels: number[];
  /** Copies the planes' FILL pixels back into crop.pixels. */
  writeBack(): void;
}

/**
 * Splits a crop's interleaved pixels into per-channel planes (simpler, faster index arithmetic in
 * neighbourhood loops). Channels that are constant over the known pixels — typically an opaque alpha —
 * are set on the FILL pixels right away and get no plane: same result, a quarter less work on RGBA.
 */
export function cropPlanes(crop: FillCrop): CropPlanes {
  const { width, height, channels: C, pixels, state } = crop;
  const N = width * height;
  const lo = new Array<number>(C).fill(Infinity);
  const hi = new Array<number>(C).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    if (state[i] !== KNOWN) continue;
    for (let c = 0; c < C; c++) {
      const v = pixels[i * C + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  const channels: number[] = [];
  for (let c = 0; c < C; c++) {
    if (lo[c] === hi[c]) {
      for (let i = 0; i < N; i++) if (state[i] === FILL) pixels[i * C + c] = lo[c]!;
    } else if (hi[c]! >= lo[c]!) channels.push(c);
  }
  const planes = channels.map((c) => {
    const plane = new Float32Array(N);
    for (let i = 0; i < N; i++) plane[i] = pixels[i * C + c]!;
    return plane;
  });
  return {
    planes,
    channels,
    writeBack() {
      for (let a = 0; a < channels.length; a++) {
        const plane = planes[a]!;
        const c = channels[a]!;
        for (let i = 0; i < N; i++) if (state[i] === FILL) pixels[i * C + c] = plane[i]!;
      }
    },
  };
}
