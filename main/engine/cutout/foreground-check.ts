import { AppError } from '../../../preload/contract/index.js';
import { rgbToLab } from '../compose/raster/lab.js';

/** Pixels sampled at most (a stride grid): the answer is about the whole photo, not its details. */
const SAMPLE_PIXELS = 200_000;
/** CIE76 distance from the backdrop colour above which a pixel "stands out" (just noticeable ≈ 2.3; JPEG noise stays below ~6). */
const STANDS_OUT_DELTA_E = 12;
/** Share of the photo that must stand out; the pipeline's own coverage floor is 0.05 %. */
const MIN_STANDING_OUT = 0.001;

export const NO_FOREGROUND_MESSAGE =
  'no clear product in this photo: it is almost one flat colour, so there is nothing to cut out. Use a photo where the product stands out from its background';

/**
 * Refuses a photo in which nothing stands out from its backdrop (a blank or flat frame): the
 * network would still return a blob there, a made-up cut-out. Cheap (a sampled pass over the
 * pixels); run it before segmenting. An input that already has transparency is a cut-out already
 * and is let through (its alpha says where the product is).
 */
export function checkForeground(rgb: Uint8Array, alpha: Uint8Array | null, width: number, height: number): void {
  if (alpha) return;
  const backdrop = borderLab(rgb, width, height);
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / SAMPLE_PIXELS)));
  const lab = new Float32Array(3);
  let sampled = 0;
  let standing = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const o = (y * width + x) * 3;
      rgbToLab(rgb[o]!, rgb[o + 1]!, rgb[o + 2]!, lab, 0);
      sampled++;
      if (Math.hypot(lab[0]! - backdrop[0], lab[1]! - backdrop[1], lab[2]! - backdrop[2]) > STANDS_OUT_DELTA_E) standing++;
    }
  }
  if (standing / sampled < MIN_STANDING_OUT) throw new AppError('bad-image', NO_FOREGROUND_MESSAGE);
}

/** The backdrop's colour: the per-channel median of the border pixels in Lab (robust to a product touching the edge). */
function borderLab(rgb: Uint8Array, width: number, height: number): [number, number, number] {
  const ls: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  const lab = new Float32Array(3);
  const stride = Math.max(1, Math.floor((width + height) / 2000));
  const add = (x: number, y: number) => {
    const o = (y * width + x) * 3;
    rgbToLab(rgb[o]!, rgb[o + 1]!, rgb[o + 2]!, lab, 0);
    ls.push(lab[0]!);
    as.push(lab[1]!);
    bs.push(lab[2]!);
  };
  for (let x = 0; x < width; x += stride) {
    add(x, 0);
    add(x, height - 1);
  }
  for (let y = 0; y < height; y += stride) {
    add(0, y);
    add(width - 1, y);
  }
  return [median(ls), median(as), median(bs)];
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[values.length >> 1] ?? 0;
}
