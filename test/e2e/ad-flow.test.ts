import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, fetchAsset, fixture, openEditorPage, openImage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';
import { decodeRgb, type Raster } from './support/pixels.js';

/**
 * Issue #4 end to end in real Chromium against the real browser-mode server: open a product photo,
 * "Make ad" (cut-out + background candidates + conversion), pick another background, drag the
 * product, add Korean
 * copy, undo back to the photo and redo, export a PNG and check its pixels: the product where its
 * record says, a darker shadow just below it, text pixels where the text record is.
 */
interface T {
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
  rotation: number;
}
interface Rec {
  id: string;
  type: string;
  transform: T;
  props: Record<string, unknown> & { asset?: string; width?: number; height?: number; text?: string };
}
interface Doc {
  kind?: string;
  width: number;
  height: number;
  records: Record<string, Rec>;
}
interface Hook {
  store: { document(): Doc; history(): { undo: string[]; redo: string[] } };
  editor: { session: { get(): { job: { kind: string } | null; selectedId: string | null; adBackgrounds: { candidates: { asset: { hash: string }; madeBy: string }[] } | null } } };
  ad: { effectsReady(ms?: number): Promise<void>; toPage(x: number, y: number): { x: number; y: number } };
}
type G = typeof globalThis & { __adstudioTest: Hook };

const PHOTO = fixture('product-banana.png');
const COPY = '오늘만 특가';

describe('ad flow', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('ad-flow', () => ui?.page);

  const doc = () => ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.document());
  const history = () => ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.history());
  const byType = (d: Doc, type: string) => Object.values(d.records).filter((r) => r.type === type);

  beforeAll(async () => {
    h = await startHarness('ad-flow');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Make ad: cut-out, backgrounds, and the photo becomes a 1080×1080 ad in one undo step', async () => {
    const { page } = ui;
    await page.getByTestId('welcome').waitFor();
    const opened = await openImage(page, PHOTO);
    // Which kinds of job the toast showed on the way.
    await page.evaluate(() => {
      const g = globalThis as G & { __kinds?: string[] };
      g.__kinds = [];
      g.__adstudioTest.editor.session.get();
      (g.__adstudioTest.editor.session as unknown as { subscribe(l: () => void): void }).subscribe(() => {
        const k = g.__adstudioTest.editor.session.get().job?.kind;
        if (k && g.__kinds!.at(-1) !== k) g.__kinds!.push(k);
      });
    });
    await page.getByTestId('make-ad').click();
    await page.getByTestId('job-toast').waitFor({ timeout: 10_000 });
    await snap(page, 'ad-flow-01-cutting');
    await page.waitForFunction(() => (globalThis as G).__adstudioTest.store.document().kind === 'ad', undefined, { timeout: 240_000 });
    expect(await page.evaluate(() => (globalThis as G & { __kinds?: string[] }).__kinds)).toEqual(['cutout', 'backgrounds']);

    const d = await doc();
    expect([d.width, d.height]).toEqual([1080, 1080]);
    expect(byType(d, 'image')).toHaveLength(0);
    expect(byType(d, 'mask')).toHaveLength(0);
    const [product] = byType(d, 'product');
    expect(product?.props.source).toBe(opened.asset);
    expect(byType(d, 'background')).toHaveLength(1);
    expect((await history()).undo).toEqual(['ad.history.makeAd']);
    await page.getByTestId('background-candidate-0').waitFor();
    expect(await page.getByTestId('background-candidate-0').getAttribute('aria-pressed')).toBe('true');
    await snap(page, 'ad-flow-02-made');
  });

  it('picking another thumbnail swaps the background (one step) and says who made it', async () => {
    const { page } = ui;
    const candidates = await page.evaluate(() => (globalThis as G).__adstudioTest.editor.session.get().adBackgrounds!.candidates);
    expect(candidates.length).toBeGreaterThan(1);
    await page.getByTestId('background-candidate-1').click();
    await page.waitForFunction((hash) => Object.values((globalThis as G).__adstudioTest.store.document().records).some((r) => r.type === 'background' && r.props.asset === hash), candidates[1]!.asset.hash);
    expect(await page.getByTestId('background-candidate-1').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('background-made-by').innerText()).toContain(candidates[1]!.madeBy.split(' ')[0]!);
    expect((await history()).undo).toEqual(['ad.history.makeAd', 'ad.history.background']);
  });

  it('drags the product with the mouse: it moves, and the move is one undo step', async () => {
    const { page, context } = ui;
    const product = byType(await doc(), 'product')[0]!;
    const alpha = await alphaOf(await fetchAsset(context, h.editor.origin, product.props.asset!));
    // Grab a solid pixel near the middle of the silhouette (a transparent margin does not drag).
    let grab = { u: 0, v: 0 };
    let best = Infinity;
    for (let v = 0; v < alpha.height; v += 4) {
      for (let u = 0; u < alpha.width; u += 4) {
        if (alpha.data[v * alpha.width + u]! < 250) continue;
        const d = Math.hypot(u - alpha.width / 2, v - alpha.height / 2);
        if (d < best) [best, grab] = [d, { u, v }];
      }
    }
    const t0 = product.transform;
    const at = { x: t0.x + grab.u * t0.scaleX, y: t0.y + grab.v * t0.scaleY };
    const toPage = (x: number, y: number) => page.evaluate(([a, b]) => (globalThis as G).__adstudioTest.ad.toPage(a!, b!), [x, y]);
    const from = await toPage(at.x, at.y);
    const to = await toPage(at.x - 90, at.y - 40);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
    await page.mouse.up();
    const t1 = byType(await doc(), 'product')[0]!.transform;
    // Snapping may pull it a few px onto a guide; the move itself is unmistakable.
    expect(t1.x - t0.x).toBeLessThan(-60);
    expect(t1.y - t0.y).toBeLessThan(-20);
    expect((await history()).undo).toEqual(['ad.history.makeAd', 'ad.history.background', 'adCanvas.history.move']);
    await page.getByTestId('undo').click();
    expect(byType(await doc(), 'product')[0]!.transform).toEqual(t0);
    await page.getByTestId('redo').click();
    expect(byType(await doc(), 'product')[0]!.transform).toEqual(t1);
  });

  it('Add text puts placeholder copy in the top band; typing Korean copy is one step', async () => {
    const { page } = ui;
    await page.getByTestId('add-text').click();
    const words = page.getByTestId('text-words');
    await words.waitFor();
    await words.fill(COPY);
    await words.blur();
    const [text] = byType(await doc(), 'text');
    expect(text?.props.text).toBe(COPY);
    expect(text!.transform.y).toBeLessThan(1080 * 0.15);
    expect((await history()).undo).toEqual(['ad.history.makeAd', 'ad.history.background', 'adCanvas.history.move', 'ad.history.addText', 'ad.history.text']);
    await snap(page, 'ad-flow-03-copy');
  });

  it('undo goes all the way back to the photo; redo brings the ad back with its copy', async () => {
    const { page } = ui;
    for (let i = 0; i < 5; i++) await page.getByTestId('undo').click();
    await page.waitForFunction(() => (globalThis as G).__adstudioTest.store.document().kind !== 'ad');
    const photo = await doc();
    expect(byType(photo, 'image')).toHaveLength(1);
    expect(byType(photo, 'product')).toHaveLength(0);
    expect(await page.getByTestId('make-ad').isVisible()).toBe(true);
    await snap(page, 'ad-flow-04-undone');
    for (let i = 0; i < 5; i++) await page.getByTestId('redo').click();
    await page.waitForFunction((c) => Object.values((globalThis as G).__adstudioTest.store.document().records).some((r) => r.type === 'text' && r.props.text === c), COPY);
    expect((await history()).redo).toEqual([]);
  });

  it('exports a full-size PNG: product where its record says, darker shadow below it, text pixels where the text is', async () => {
    const { page, context } = ui;
    await page.evaluate(() => (globalThis as G).__adstudioTest.ad.effectsReady(60_000));
    await snap(page, 'ad-flow-05-before-export');
    await page.keyboard.press('Control+Shift+E');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('export-size').innerText()).toContain('1080');
    await page.getByTestId('export-format').selectOption('png');
    await page.getByTestId('export-name').fill('ad-e2e');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export-confirm').click()]);
    const path = join(h.work.files, 'ad.png');
    await download.saveAs(path);
    expect(await download.failure()).toBeNull();
    expect(download.suggestedFilename()).toBe('ad-e2e.png');
    await dialog.waitFor({ state: 'hidden' });

    const d = await doc();
    const out = await decodeRgb(path);
    expect([out.width, out.height]).toEqual([1080, 1080]);
    const bgRec = byType(d, 'background')[0]!;
    const bg = await decodeRgb(await sharp(await fetchAsset(context, h.editor.origin, bgRec.props.asset!)).resize(1080, 1080, { fit: 'cover' }).png().toBuffer());
    const product = byType(d, 'product')[0]!;
    const alpha = await alphaOf(await fetchAsset(context, h.editor.origin, product.props.asset!));
    const t = product.transform;
    expect(t.rotation).toBe(0);
    const toCanvas = (u: number, v: number) => ({ x: Math.round(t.x + u * t.scaleX), y: Math.round(t.y + v * t.scaleY) });

    // Product: inside its solid silhouette the export is not the backdrop.
    let inside = 0;
    let insideDiff = 0;
    // Shadow: a few px under the lowest solid pixel of each column, darker than the backdrop there.
    let below = 0;
    let darker = 0;
    const step = Math.max(1, Math.floor(alpha.width / 200));
    for (let u = 0; u < alpha.width; u += step) {
      let lowest = -1;
      for (let v = 0; v < alpha.height; v += step) {
        if (alpha.data[v * alpha.width + u]! < 250) continue;
        lowest = v;
        const p = toCanvas(u, v);
        if (p.x < 0 || p.y < 0 || p.x >= 1080 || p.y >= 1080) continue;
        inside++;
        insideDiff += pixelDiff(out, bg, p.x, p.y);
      }
      if (lowest < 0) continue;
      const base = toCanvas(u, lowest);
      for (let dy = 3; dy <= 6; dy++) {
        const y = base.y + dy;
        if (y >= 1080 || base.x < 0 || base.x >= 1080) continue;
        below++;
        darker += luma(bg, base.x, y) - luma(out, base.x, y);
      }
    }
    expect(inside).toBeGreaterThan(500);
    expect(insideDiff / inside).toBeGreaterThan(20);
    expect(below).toBeGreaterThan(50);
    expect(darker / below).toBeGreaterThan(4);

    // Text: in the text record's box, many pixels differ strongly from the backdrop.
    const text = byType(d, 'text')[0]!;
    const tw = Number(text.props.width);
    const size = Number((text.props.font as { size: number }).size);
    let changed = 0;
    for (let y = Math.round(text.transform.y); y < Math.min(1080, text.transform.y + size * 1.3); y++) {
      for (let x = Math.round(text.transform.x); x < Math.min(1080, text.transform.x + tw); x++) if (pixelDiff(out, bg, x, y) > 80) changed++;
    }
    expect(changed).toBeGreaterThan(size * size * 0.5);
    await snap(page, 'ad-flow-06-exported');
  });
});

/**
 * The panels on an ad built through the test hook (no host jobs needed): the inspector's slider drag
 * is one undo step, Korean copy is drawn with the bundled font, a size preset is one step.
 */
describe('ad panels on a ready ad', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('ad-panels', () => ui?.page);
  type PanelHook = Hook & { ad: Hook['ad'] & { open(spec: unknown): Promise<{ products: string[] }>; render(): Promise<{ width: number; height: number; png: string }> } };
  type PG = typeof globalThis & { __adstudioTest: PanelHook };
  const history = () => ui.page.evaluate(() => (globalThis as PG).__adstudioTest.store.history().undo);

  beforeAll(async () => {
    h = await startHarness('ad-panels');
    ui = await openEditorPage(h.browser, h.editor);
    const product = (await sharp(PHOTO).resize(400, 353).png().toBuffer()).toString('base64');
    const background = (await sharp({ create: { width: 1080, height: 1080, channels: 3, background: { r: 236, g: 230, b: 218 } } }).png().toBuffer()).toString('base64');
    await ui.page.evaluate(
      (spec) => (globalThis as PG).__adstudioTest.ad.open(spec),
      { width: 1080, height: 1080, background, products: [{ image: product, transform: { x: 340, y: 600, scaleX: 1, scaleY: 1, rotation: 0 } }] },
    );
    await ui.page.getByTestId('ad-side').waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a slider drag in the product inspector is ONE undo step', async () => {
    const { page } = ui;
    await page.locator('[data-testid^="cutout-"]').first().click();
    const slider = page.getByTestId('drop-opacity');
    await slider.waitFor();
    const box = (await slider.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.2 + i * 0.06), box.y + box.height / 2);
    await page.mouse.up();
    expect(await history()).toEqual(['ad.history.shadow']);
    const opacity = await page.evaluate(() => {
      const r = Object.values((globalThis as PG).__adstudioTest.store.document().records).find((x) => x.type === 'product')!;
      return (r.props.shadow as { drop: { opacity: number } }).drop.opacity;
    });
    expect(opacity).toBeGreaterThan(0.7);
  });

  it('Korean copy is drawn with the bundled font in the full-resolution render', async () => {
    const { page } = ui;
    await page.getByTestId('add-text').click();
    await page.getByTestId('text-words').fill(COPY);
    await page.getByTestId('text-words').blur();
    await page.getByTestId('text-font').selectOption('Noto Sans KR');
    expect(await history()).toEqual(['ad.history.shadow', 'ad.history.addText', 'ad.history.text', 'ad.history.textStyle']);
    const render = await page.evaluate(() => (globalThis as PG).__adstudioTest.ad.render());
    const fonts = await page.evaluate(() => [...(globalThis as unknown as { document: { fonts: Iterable<{ family: string; status: string }> } }).document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')));
    expect(fonts).toContain('Noto Sans KR');
    const png = Buffer.from(render.png.split(',')[1]!, 'base64');
    const out = await decodeRgb(png);
    const text = Object.values((await ui.page.evaluate(() => (globalThis as PG).__adstudioTest.store.document())).records).find((r) => r.type === 'text')!;
    let dark = 0;
    for (let y = Math.round(text.transform.y); y < text.transform.y + 80; y++) for (let x = 80; x < 1000; x++) if (luma(out, x, y) < 90) dark++;
    expect(dark).toBeGreaterThan(1500);
    await snap(page, 'ad-panels-01-text');
  });

  it('a canvas size preset is one step and keeps the product inside the new canvas', async () => {
    const { page } = ui;
    await page.getByTestId('ad-size-story').click();
    const d = await page.evaluate(() => (globalThis as PG).__adstudioTest.store.document());
    expect([d.width, d.height]).toEqual([1080, 1920]);
    const p = Object.values(d.records).find((r) => r.type === 'product')!;
    expect(p.transform.y).toBeGreaterThan(600);
    expect(p.transform.y + 353 * p.transform.scaleY).toBeLessThanOrEqual(1920);
    expect((await history()).at(-1)).toBe('ad.history.canvasSize');
    await page.getByTestId('ad-size-width').fill('20000');
    expect(await page.getByTestId('ad-size-error').isVisible()).toBe(true);
    expect(await page.getByTestId('ad-size-apply').isDisabled()).toBe(true);
    await snap(page, 'ad-panels-02-story');
  });
});

async function alphaOf(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

function pixelDiff(a: Raster, b: Raster, x: number, y: number): number {
  const i = (y * a.width + x) * 3;
  return (Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!)) / 3;
}

function luma(r: Raster, x: number, y: number): number {
  const i = (y * r.width + x) * 3;
  return 0.299 * r.data[i]! + 0.587 * r.data[i + 1]! + 0.114 * r.data[i + 2]!;
}
