import { alphaHitRects, hitGridSize, HIT_GRID } from '../../editor/ad/alpha-hit';

/** One hit path per decoded image and layer size (images are shared by every copy of a product). */
const cache = new WeakMap<ImageBitmap, Map<string, Path2D>>();

/**
 * The product's hit area as a Path2D in layer px: its alpha, downscaled to a coarse grid (the
 * browser averages it), thresholded and merged into runs. Null when the pixels cannot be read.
 */
export function alphaHitPath(image: ImageBitmap, width: number, height: number): Path2D | null {
  const key = `${width}x${height}`;
  const hit = cache.get(image)?.get(key);
  if (hit) return hit;
  const rgba = alphaGrid(image);
  if (!rgba) return null;
  const { gw, gh } = rgba;
  const alpha = new Uint8Array(gw * gh);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba.data[i * 4 + 3]!;
  const path = new Path2D();
  for (const r of alphaHitRects(alpha, gw, gh, width, height)) path.rect(r.x, r.y, r.width, r.height);
  const byKey = cache.get(image) ?? new Map<string, Path2D>();
  byKey.set(key, path);
  cache.set(image, byKey);
  return path;
}

/** The image downscaled to the hit grid (RGBA); null if it cannot be read (e.g. a closed bitmap: the plain rectangle hits then). */
function alphaGrid(image: ImageBitmap): { data: Uint8ClampedArray; gw: number; gh: number } | null {
  try {
    const { gw, gh } = hitGridSize(image.width, image.height, HIT_GRID);
    const ctx = new OffscreenCanvas(gw, gh).getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image, 0, 0, gw, gh);
    return { data: ctx.getImageData(0, 0, gw, gh).data, gw, gh };
  } catch {
    return null;
  }
}
