import type Konva from 'konva';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Layer, Stage } from 'react-konva';
import { AppError } from '../../../../preload/contract/errors';
import { adParts, isAdDocument, type ProductRecord } from '../../document/ad-records';
import type { Editor } from '../../editor/editor';
import type { ProductFxResult } from '../../editor/ad/product-fx';
import { loadFont, textFonts } from './ad-font';
import { AdScene } from './AdScene';
import type { ProductFxView } from './scene-data';

/**
 * The ad at full resolution (document width×height, scale 1) for export: the same AdScene as on
 * screen, without transformer, guides or selection, drawn only once every image, every product's
 * effects for its current look and every font are ready. Returns a fresh canvas.
 */
export async function renderAdCanvas(ed: Editor): Promise<HTMLCanvasElement> {
  const doc = ed.document();
  if (!doc || !isAdDocument(doc)) throw new AppError('bad-request', 'there is no ad to export: open or make an ad first');
  const parts = adParts(doc);
  const { width, height } = doc;
  const scene = { width, height, background: parts.background };

  const hashes = new Set(parts.layers.flatMap((l) => (l.type === 'product' ? [l.props.asset] : [])));
  if (parts.background) hashes.add(parts.background.props.asset);
  const products = parts.layers.filter((l): l is ProductRecord => l.type === 'product' && l.visible);
  const fonts = textFonts(parts.layers.filter((l) => l.visible));
  const [images, fx] = await Promise.all([
    Promise.all([...hashes].map(async (h) => [h, await ed.assets.getImage(h)] as const)),
    Promise.all(products.map(async (p) => [p.id, await effectsOf(ed, p, scene)] as const)),
    Promise.all(fonts.map((f) => loadFont(f.family, f.weight))),
  ]);
  const data = {
    images: new Map(images),
    fx: new Map<string, ProductFxView>(fx.map(([id, r]) => [id, { fx: r, fresh: true }])),
    fonts: new Set(fonts.map((f) => f.key)),
  };

  const container = document.createElement('div');
  const root = createRoot(container);
  let stage: Konva.Stage | null = null;
  try {
    flushSync(() =>
      root.render(
        <Stage width={width} height={height} listening={false} ref={(s) => void (stage = s)}>
          <Layer imageSmoothingEnabled>
            <AdScene width={width} height={height} parts={parts} data={data} />
          </Layer>
        </Stage>,
      ),
    );
    const expected = parts.layers.filter((l) => l.type === 'text' || data.images.has(l.props.asset)).length;
    // react-konva builds the nodes in its own commit: wait (a few frames at most) until they are all there.
    for (let i = 0; i < 20 && (!stage || (stage as Konva.Stage).find('.ad-layer').length < expected); i++) await nextFrame();
    if (!stage) throw new AppError('internal', 'the ad could not be drawn (no stage)');
    return (stage as Konva.Stage).toCanvas({ pixelRatio: 1 });
  } finally {
    root.unmount();
  }
}

async function effectsOf(ed: Editor, p: ProductRecord, scene: { width: number; height: number; background: ReturnType<typeof adParts>['background'] }): Promise<ProductFxResult> {
  const req = ed.ad.fx.request(p, scene);
  try {
    return await req.promise;
  } finally {
    req.release();
  }
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
