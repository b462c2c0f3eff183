import { toErrorShape } from '../../mask/mask-ops';
import { suggestTransform } from './auto-place-core';
import { backgroundRects, CONTAIN_FILL, type BackgroundFit } from './background-fit';
import { canvasFromRgba, computeProductFx, type RgbaPatch } from './fx-pixels';
import type { BackgroundIn, FxRequest, FxResponse, ImageIn, PatchOut } from './fx-protocol';
import type { Canvas } from '../../../../main/engine/compose/shadows';

/**
 * Web Worker of the ad canvas: shadows, tone match and edges per product (as drawable patches) and
 * "Auto place", all off the UI thread. Requests run one at a time, each in its own task, so a
 * cancel posted meanwhile is seen before the next one starts. Decoded pixels are cached by key.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<FxRequest>) => void) | null;
  postMessage(message: FxResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const queue: Exclude<FxRequest, { type: 'cancel' }>[] = [];
const cancelled = new Set<number>();
let scheduled = false;

interface Backdrop {
  rgba: Uint8ClampedArray;
  canvas: Canvas;
}
const backdrops = new Map<string, Backdrop>();
const products = new Map<string, ImageData>();

scope.onmessage = (event) => {
  const req = event.data;
  if (req.type === 'cancel') {
    cancelled.add(req.id);
    return;
  }
  queue.push(req);
  schedule();
};

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    const req = queue.shift();
    if (req) void run(req).finally(schedule);
  }, 0);
}

async function run(req: Exclude<FxRequest, { type: 'cancel' }>): Promise<void> {
  if (cancelled.delete(req.id)) return;
  try {
    const { width: W, height: H } = req.canvas;
    const bg = backdrop(req.background, W, H);
    const product = pixels(req.product);
    const rgba = new Uint8Array(product.data.buffer, product.data.byteOffset, product.data.byteLength);
    if (req.type === 'place') {
      const transform = suggestTransform({ background: bg.rgba, channels: 4, width: W, height: H, product: { rgba, width: product.width, height: product.height }, others: req.others });
      scope.postMessage({ id: req.id, ok: true, kind: 'place', transform }, []);
      return;
    }
    const fx = computeProductFx({ canvas: bg.canvas, rgba, width: product.width, height: product.height, transform: req.transform, opacity: req.opacity, look: req.look });
    if (cancelled.delete(req.id)) return;
    const [shadow, placed] = await Promise.all([toBitmap(fx.shadow), toBitmap(fx.product)]);
    const transfer = [shadow?.bitmap, placed?.bitmap].filter((b): b is ImageBitmap => !!b);
    scope.postMessage({ id: req.id, ok: true, kind: 'fx', shadow, product: placed }, transfer);
  } catch (err) {
    scope.postMessage({ id: req.id, ok: false, error: toErrorShape(err) }, []);
  } finally {
    req.product.bitmap.close();
    req.background.bitmap?.close();
  }
}

/** The backdrop as the canvas shows it (fit to W×H), cached: most requests share one. */
function backdrop(bg: BackgroundIn, W: number, H: number): Backdrop {
  const key = `${bg.key}|${bg.fit}|${W}x${H}`;
  const hit = backdrops.get(key);
  if (hit) return hit;
  const ctx = context(W, H);
  ctx.fillStyle = CONTAIN_FILL;
  ctx.fillRect(0, 0, W, H);
  if (bg.bitmap) drawFitted(ctx, bg.bitmap, bg.fit, W, H);
  const rgba = ctx.getImageData(0, 0, W, H).data;
  const made = { rgba, canvas: canvasFromRgba(rgba, W, H) };
  backdrops.clear(); // one ad at a time: keep memory to a single backdrop
  backdrops.set(key, made);
  return made;
}

function drawFitted(ctx: OffscreenCanvasRenderingContext2D, img: ImageBitmap, fit: BackgroundFit, W: number, H: number): void {
  const r = backgroundRects(fit, img.width, img.height, W, H);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, r.sx, r.sy, r.sw, r.sh, r.dx, r.dy, r.dw, r.dh);
}

function pixels(img: ImageIn): ImageData {
  const hit = products.get(img.key);
  if (hit) {
    // Refresh recency.
    products.delete(img.key);
    products.set(img.key, hit);
    return hit;
  }
  const { width, height } = img.bitmap;
  const ctx = context(width, height);
  ctx.drawImage(img.bitmap, 0, 0);
  const read = ctx.getImageData(0, 0, width, height);
  products.set(img.key, read);
  while (products.size > 8) products.delete(products.keys().next().value!);
  return read;
}

function context(w: number, h: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot draw in a worker (no OffscreenCanvas 2D)');
  return ctx;
}

async function toBitmap(p: RgbaPatch | null): Promise<PatchOut | null> {
  if (!p) return null;
  const bitmap = await createImageBitmap(new ImageData(p.data, p.width, p.height));
  return { x: p.x, y: p.y, width: p.width, height: p.height, bitmap };
}
