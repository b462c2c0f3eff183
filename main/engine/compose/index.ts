import { AppError } from '../../../preload/contract/index.js';
import { adLayoutSchema, type AdLayout, type AdLayoutInput, type ProductLayer, type TextLayer } from '../../../preload/contract/ad-layout.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { createBackgroundEngine, extractPalette, paletteFromHex, type BackgroundEngine, type PaletteColour } from '../background/index.js';
import { WorkerPool } from '../worker-pool.js';
import { workerScriptUrl } from '../worker-script.js';
import { autoPlace, type AutoProduct, type AutoText } from './auto-place.js';
import type { ComposeJob, ComposeJobResult, ComposeOverlayJob, ComposeProductJob, PlacedProduct } from './compose-job.js';
import { busyMap } from './free-space.js';
import { detectGroundLine, type GroundLine } from './ground-line.js';
import { parseColor } from './raster/color.js';
import { fileResolver, fitBackground, loadProduct, prescale, solidBackground, type ImageResolver, type ProductPixels } from './sources.js';
import { layoutText, type TextBlock } from './text-layout.js';
import { renderTextLayer } from './text-render.js';

export { formatFromPath, parseSize } from './export-presets.js';
export { fileResolver, type ImageResolver } from './sources.js';
export type { PlacedProduct } from './compose-job.js';

export interface ComposeRequest {
  layout: AdLayoutInput;
  /** How layer sources become pixels; default: file paths only. */
  resolveImage?: ImageResolver;
  signal?: AbortSignal;
  onProgress?: (progress: number, message?: string) => void;
}

export interface ComposeResult {
  /** RGB, canvas size. */
  image: RawImage;
  /** The layout as drawn: every transform (and auto text width) filled in — save it, edit it, render it again. */
  layout: AdLayout;
  groundY: number;
  horizonY: number | null;
  placed: PlacedProduct[];
  /** Things a person should know (a product without transparency, a character the font lacks). */
  warnings: string[];
  madeBy: string;
}

export interface Composer {
  compose(request: ComposeRequest): Promise<ComposeResult>;
  close(): Promise<void>;
}

export interface ComposerOptions {
  /** Renders preset backgrounds; a private one is created (and closed) when absent. */
  background?: BackgroundEngine;
  workerScript?: URL;
}

/**
 * Renders an ad layout at full resolution. Main thread: parse, load sources, the background, auto
 * placement, text (sharp/librsvg with the bundled fonts); one worker: the pixel work (placement,
 * tone match, edges, shadows, blending).
 */
export function createComposer(options: ComposerOptions = {}): Composer {
  let pool: WorkerPool | null = null;
  let ownBackground: BackgroundEngine | null = null;
  let closed = false;
  const backgrounds = () => options.background ?? (ownBackground ??= createBackgroundEngine());
  const getPool = () => (pool ??= new WorkerPool({ script: options.workerScript ?? workerScriptUrl('compose-worker'), label: 'compose', size: 1 }));

  return {
    async compose(request) {
      if (closed) throw new AppError('engine', 'the composer is closed');
      const { signal, onProgress } = request;
      const layout = parseLayout(request.layout);
      const resolve = request.resolveImage ?? fileResolver;
      const check = () => {
        if (signal?.aborted) throw new AppError('cancelled', 'composing was cancelled');
      };
      const { width: W, height: H } = layout.canvas;
      const warnings: string[] = [];
      onProgress?.(0.02, 'loading');

      // Products (visible ones), in layer order.
      const products = new Map<number, ProductPixels>();
      for (const [index, layer] of layout.layers.entries()) {
        if (layer.kind !== 'product' || !layer.visible) continue;
        const label = `product "${layer.name ?? layer.id}"`;
        const p = await loadProduct(resolve, layer.source, label);
        if (!p.hasTransparency) warnings.push(`${label} has no transparent pixels: it is drawn as a rectangle (cut it out first)`);
        products.set(index, p);
        check();
      }

      // Background and where its ground is.
      onProgress?.(0.1, 'background');
      const { rgb: background, ground } = await prepareBackground(layout, products, resolve, backgrounds, signal);
      check();

      // Text blocks for layers that are placed already; auto ones are laid out by autoPlace.
      const autoTexts: AutoText<TextBlock>[] = [];
      const blocks = new Map<number, TextBlock>();
      layout.layers.forEach((layer, index) => {
        if (layer.kind !== 'text' || !layer.visible) return;
        if (layer.transform) blocks.set(index, layoutText(layer));
        else autoTexts.push({ index, layout: (width) => layoutText({ ...layer, width: layer.width ?? width }), ...(layer.width ? { width: layer.width } : {}), align: layer.align, size: layer.font.size });
      });
      const autoProducts: AutoProduct[] = [];
      for (const [index, p] of products) if (!(layout.layers[index] as ProductLayer).transform) autoProducts.push({ index, bounds: p.bounds });
      const placement = autoPlace({ width: W, height: H, ground, busy: busyMap(background, W, H), products: autoProducts, texts: autoTexts });
      for (const [index, t] of placement.products) (layout.layers[index] as ProductLayer).transform = t;
      for (const [index, t] of placement.texts) {
        const layer = layout.layers[index] as TextLayer;
        layer.transform = t.transform;
        layer.width = t.width;
        blocks.set(index, t.block);
      }
      for (const [index, block] of blocks) {
        const layer = layout.layers[index] as TextLayer;
        if (block.missing.length > 0) {
          warnings.push(`text "${layer.name ?? layer.id}": font ${block.font.family} has no glyph for ${block.missing.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}; it shows as a box`);
        }
      }

      // Layers for the worker, bottom first.
      onProgress?.(0.2, 'text');
      const jobs: (ComposeProductJob | ComposeOverlayJob)[] = [];
      const transfer: ArrayBuffer[] = [background.buffer as ArrayBuffer];
      for (const [index, layer] of layout.layers.entries()) {
        if (!layer.visible) continue;
        if (layer.kind === 'text') {
          const rgba = await renderTextLayer(layer, blocks.get(index)!, W, H);
          jobs.push({ kind: 'overlay', id: layer.id, rgba });
          transfer.push(rgba.buffer as ArrayBuffer);
        } else {
          const p = products.get(index)!;
          const scaled = await prescale(p, layer.transform!);
          const rgba = scaled.rgba === p.rgba ? p.rgba.slice() : scaled.rgba;
          jobs.push({ kind: 'product', id: layer.id, rgba, width: scaled.width, height: scaled.height, transform: scaled.transform, opacity: layer.opacity, shadow: layer.shadow, tone: layer.tone, edge: layer.edge });
          transfer.push(rgba.buffer as ArrayBuffer);
        }
        check();
      }
      const job: ComposeJob = { width: W, height: H, background, layers: jobs };
      const result = await getPool().run<ComposeJob, ComposeJobResult>(job, {
        ...(signal ? { signal } : {}),
        onProgress: (p, m) => onProgress?.(0.25 + 0.75 * p, m),
        transfer: uniqueBuffers(transfer),
      });
      return {
        image: { data: result.rgb, width: W, height: H, channels: 3 },
        layout,
        groundY: placement.groundY,
        horizonY: ground.horizonY,
        placed: result.placed,
        warnings,
        madeBy: 'compose:embedded',
      };
    },
    async close() {
      closed = true;
      await Promise.all([pool?.close(), ownBackground?.close()]);
    },
  };
}

/** Parses a layout; the message names the first bad field. */
export function parseLayout(input: AdLayoutInput | unknown): AdLayout {
  const parsed = adLayoutSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'layout';
    throw new AppError('bad-request', `the ad layout is not valid: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

async function prepareBackground(
  layout: AdLayout,
  products: Map<number, ProductPixels>,
  resolve: ImageResolver,
  backgrounds: () => BackgroundEngine,
  signal: AbortSignal | undefined,
): Promise<{ rgb: Uint8Array; ground: GroundLine }> {
  const { width: W, height: H } = layout.canvas;
  const bg = layout.background;
  if (bg.kind === 'preset') {
    let palette: PaletteColour[];
    if (bg.palette && bg.palette.length > 0) palette = paletteFromHex(bg.palette.map((c) => parseColor(c).rgb));
    else {
      // Colours from the products themselves (the first one leads).
      const first = [...products.values()][0];
      palette = first ? extractPalette(first.rgba, first.width, first.height, 4) : [];
    }
    const b = await backgrounds().render({ preset: bg.preset, width: W, height: H, seed: bg.seed, palette, ...(signal ? { signal } : {}) });
    return { rgb: b.rgb, ground: { horizonY: b.horizonY, groundY: b.groundY, confidence: 1 } };
  }
  const rgb = bg.kind === 'solid' ? solidBackground(bg.color, W, H) : await fitBackground(await resolve(bg.source, 'background'), bg, W, H);
  return { rgb, ground: detectGroundLine(rgb, W, H) };
}

function uniqueBuffers(list: ArrayBuffer[]): ArrayBuffer[] {
  return [...new Set(list)];
}
