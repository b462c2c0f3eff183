import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, fixture, openEditorPage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';

/**
 * The ad canvas in real Chromium: an ad (backdrop + two products cut from the banana fixture) is
 * built through the test hook, then driven with the mouse and keyboard like a user would, and the
 * full-resolution render is checked pixel by pixel.
 */
interface T {
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
  rotation: number;
}
interface AdRec {
  id: string;
  type: string;
  z: string;
  transform: T;
  props: { width?: number };
}
interface AdHook {
  getZoom(): number;
  store: { document(): { records: Record<string, AdRec> }; history(): { undo: string[] }; undo(): boolean };
  editor: { ad: { state: { get(): { guides: unknown[] } } }; session: { get(): { selectedId: string | null } } };
  ad: {
    open(spec: unknown): Promise<{ products: string[]; texts: string[] }>;
    toPage(x: number, y: number): { x: number; y: number };
    effectsReady(ms?: number): Promise<void>;
    render(): Promise<{ width: number; height: number; png: string }>;
  };
}
type G = typeof globalThis & { __adstudioTest: AdHook };
/** Konva's global (konva puts itself on window): the screen stage's nodes, to find a layer's drawn size. */
interface KonvaGlobal {
  Konva: { stages: { container(): { closest(sel: string): unknown }; findOne(sel: string): { height(): number; isVisible(): boolean } | undefined }[] };
}
/** The little of the DOM the drop needs (the Node-side typecheck has no DOM library). */
interface DomDrop {
  document: { querySelector(selector: string): { dispatchEvent(event: unknown): boolean } | null };
  DataTransfer: new () => { setData(type: string, data: string): void };
  DragEvent: new (type: string, init: Record<string, unknown>) => unknown;
}

const W = 800;
const H = 800;
const BG = { r: 232, g: 224, b: 208 };
const PW = 300;
const PH = 200;
const TEXT_W = 220;

async function cutout(): Promise<string> {
  // The banana photo cut to an ellipse: a product with real texture and a soft transparent edge.
  const mask = Buffer.from(`<svg width="${PW}" height="${PH}"><ellipse cx="${PW / 2}" cy="${PH / 2}" rx="${PW / 2 - 4}" ry="${PH / 2 - 4}" fill="#fff"/></svg>`);
  const png = await sharp(fixture('product-banana.png'))
    .resize(PW, PH, { fit: 'cover' })
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .png()
    .toBuffer();
  return png.toString('base64');
}

describe('ad canvas', () => {
  let h: Harness;
  let ui: EditorPage;
  let ids: string[];
  let textId: string;
  captureFailures('ad-canvas', () => ui?.page);

  const rec = (id: string) => ui.page.evaluate((i) => (globalThis as G).__adstudioTest.store.document().records[i]!, id);
  const undoList = () => ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.history().undo);
  const toPage = (x: number, y: number) => ui.page.evaluate(([a, b]) => (globalThis as G).__adstudioTest.ad.toPage(a!, b!), [x, y]);
  async function mouseDrag(from: { x: number; y: number }, to: { x: number; y: number }, beforeUp?: () => Promise<void>): Promise<void> {
    const m = ui.page.mouse;
    await m.move(from.x, from.y);
    await m.down();
    for (let i = 1; i <= 8; i++) await m.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
    await beforeUp?.();
    await m.up();
  }

  beforeAll(async () => {
    h = await startHarness('ad-canvas');
    ui = await openEditorPage(h.browser, h.editor);
    const product = await cutout();
    const background = (await sharp({ create: { width: W, height: H, channels: 3, background: BG } }).png().toBuffer()).toString('base64');
    const opened = await ui.page.evaluate(
      (spec) => (globalThis as G).__adstudioTest.ad.open(spec),
      {
        width: W,
        height: H,
        background,
        products: [
          { image: product, transform: { x: 100, y: 100, scaleX: 1, scaleY: 1, rotation: 0 } },
          { image: product, transform: { x: 420, y: 480, scaleX: 0.6, scaleY: 0.6, rotation: 0 } },
        ],
        // Copy out of the products' way, wrapped at 220 px (three lines).
        texts: [{ text: 'Spring sale on every fresh fruit', transform: { x: 520, y: 640, scaleX: 1, scaleY: 1, rotation: 0 }, style: { width: TEXT_W, align: 'left', font: { size: 32 } } }],
      },
    );
    ids = opened.products;
    textId = opened.texts[0]!;
    await ui.page
      .getByTestId('ad-canvas')
      .waitFor({ timeout: 20_000 })
      .catch(async (e: unknown) => {
        throw new Error(`the ad canvas did not appear: ${String(e)}\npage errors: ${ui.errors.join('\n')}\n${(await ui.page.locator('body').innerText()).slice(0, 500)}`);
      });
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.ad.effectsReady());
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('drags a product with the mouse as one undo step', async () => {
    const [a] = ids;
    const from = await toPage(250, 200);
    const to = await toPage(250 + 120, 200 + 90);
    await mouseDrag(from, to);
    const moved = (await rec(a!)).transform;
    // Mouse steps are whole page pixels (about 1.05 canvas px at this zoom).
    expect(Math.abs(moved.x - 220)).toBeLessThan(1.5);
    expect(Math.abs(moved.y - 190)).toBeLessThan(1.5);
    expect(await undoList()).toEqual(['adCanvas.history.move']);
    expect(await ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.session.get().selectedId)).toBe(a);
    await snap(ui.page, 'ad-canvas-01-dragged');
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.undo());
    expect((await rec(a!)).transform).toMatchObject({ x: 100, y: 100 });
  });

  it('snaps the product centre onto the canvas centre line, showing a guide while dragging', async () => {
    const [a] = ids;
    // Centre 250 → 403: 3 px short of the centre line at 400.
    let guides = 0;
    await mouseDrag(await toPage(250, 200), await toPage(403, 200), async () => {
      await ui.page.waitForFunction(() => (globalThis as G).__adstudioTest.editor.ad.state.get().guides.length > 0, undefined, { timeout: 3000 }).catch(() => {});
      guides = await ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.ad.state.get().guides.length);
    });
    expect(guides).toBeGreaterThan(0);
    const t = (await rec(a!)).transform;
    expect(t.x + (PW * t.scaleX) / 2).toBeCloseTo(W / 2, 1);
  });

  it('scales from a transformer corner, keeping the aspect ratio, as one step', async () => {
    const [a] = ids;
    const before = await undoList();
    const t0 = (await rec(a!)).transform;
    const corner = await toPage(t0.x + PW, t0.y + PH);
    await mouseDrag(corner, { x: corner.x + 60, y: corner.y + 40 });
    const t = (await rec(a!)).transform;
    expect(t.scaleX).toBeGreaterThan(1.1);
    expect(t.scaleY).toBeCloseTo(t.scaleX, 3);
    expect(t.x).toBeCloseTo(t0.x, 0);
    expect(await undoList()).toEqual([...before, 'adCanvas.history.transform']);
  });

  it('brings the selected product to the front with Ctrl+Shift+]', async () => {
    const [a, b] = ids;
    expect((await rec(a!)).z < (await rec(b!)).z).toBe(true);
    await ui.page.keyboard.press('Control+Shift+BracketRight');
    expect((await rec(a!)).z > (await rec(b!)).z).toBe(true);
    expect((await undoList()).at(-1)).toBe('adCanvas.history.order');
  });

  it('a click in the transparent margin of a product goes through it (hit only where the cut-out is opaque)', async () => {
    const [a] = ids;
    const selectedId = () => ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.session.get().selectedId);
    const t = (await rec(a!)).transform;
    expect(t.rotation).toBe(0);
    const at = (u: number, v: number) => toPage(t.x + u * t.scaleX, t.y + v * t.scaleY);
    // Clear, then select it by its solid middle.
    await ui.page.keyboard.press('Escape');
    const mid = await at(PW / 2, PH / 2);
    await ui.page.mouse.click(mid.x, mid.y);
    expect(await selectedId()).toBe(a);
    // (20, 14) is inside the bounding box but outside the ellipse: fully transparent, and clear of the transformer's anchor.
    const corner = await at(20, 14);
    await ui.page.mouse.click(corner.x, corner.y);
    expect(await selectedId()).toBeNull();
    // The edge of the ellipse a little inwards is product again.
    const edge = await at(PW / 2, 12);
    await ui.page.mouse.click(edge.x, edge.y);
    expect(await selectedId()).toBe(a);
  });

  it('the side anchors of copy change its wrap width (not its scale) as one step; corners still scale', async () => {
    const textNode = (i: string) =>
      ui.page.evaluate((id) => {
        const stage = (globalThis as unknown as KonvaGlobal).Konva.stages.find((s) => s.container().closest('[data-testid="ad-canvas"]'));
        const n = stage?.findOne(`#${id}`);
        return n ? { height: n.height(), visible: n.isVisible() } : null;
      }, i);
    await ui.page.waitForFunction(
      (id) => !!(globalThis as unknown as KonvaGlobal).Konva.stages.find((s) => s.container().closest('[data-testid="ad-canvas"]'))?.findOne(`#${id}`)?.isVisible(),
      textId,
    );
    const t0 = (await rec(textId)).transform;
    const h0 = (await textNode(textId))!.height;
    // Select it by its first line, then pull the middle-right anchor 90 canvas px to the right.
    const first = await toPage(t0.x + 30, t0.y + 16);
    await ui.page.mouse.click(first.x, first.y);
    expect(await ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.session.get().selectedId)).toBe(textId);
    const before = await undoList();
    const side = await toPage(t0.x + TEXT_W, t0.y + h0 / 2);
    const zoom = await ui.page.evaluate(() => (globalThis as G).__adstudioTest.getZoom());
    await mouseDrag(side, { x: side.x + 90 * zoom, y: side.y });
    const r1 = await rec(textId);
    expect(Math.abs(r1.props.width! - (TEXT_W + 90))).toBeLessThan(3);
    expect(r1.transform).toMatchObject({ scaleX: 1, scaleY: 1, rotation: 0 });
    expect(r1.transform.x).toBeCloseTo(t0.x, 6);
    expect(r1.transform.y).toBeCloseTo(t0.y, 6);
    // Wider copy re-flows into fewer lines: the glyphs kept their size.
    expect((await textNode(textId))!.height).toBeLessThan(h0 - 20);
    expect(await undoList()).toEqual([...before, 'adCanvas.history.wrap']);
    // A corner still scales (aspect kept) and leaves the wrap width alone.
    const h1 = (await textNode(textId))!.height;
    const corner = await toPage(t0.x + r1.props.width!, t0.y + h1);
    await mouseDrag(corner, { x: corner.x + 40, y: corner.y + 20 });
    const r2 = await rec(textId);
    expect(r2.transform.scaleX).toBeGreaterThan(1.05);
    expect(r2.transform.scaleY).toBeCloseTo(r2.transform.scaleX, 3);
    expect(r2.props.width).toBe(r1.props.width);
    expect(await undoList()).toEqual([...before, 'adCanvas.history.wrap', 'adCanvas.history.transform']);
    // One undo takes back the scale, the next the wrap width.
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.undo());
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.undo());
    expect((await rec(textId)).props.width).toBe(TEXT_W);
    await snap(ui.page, 'ad-canvas-03-text-wrap');
  });

  it('renders the ad at full size with the product where its record says and a darker shadow under it', async () => {
    const [a] = ids;
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.ad.effectsReady());
    const out = await ui.page.evaluate(() => (globalThis as G).__adstudioTest.ad.render());
    expect(out).toMatchObject({ width: W, height: H });
    const { data, info } = await sharp(Buffer.from(out.png.split(',')[1]!, 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => {
      const o = (Math.round(y) * info.width + Math.round(x)) * 3;
      return [data[o]!, data[o + 1]!, data[o + 2]!];
    };
    const luma = ([r, g, b]: number[]) => 0.299 * r! + 0.587 * g! + 0.114 * b!;
    const bgLuma = luma([BG.r, BG.g, BG.b]);
    const t = (await rec(a!)).transform;
    const cx = t.x + (PW * t.scaleX) / 2;
    const bottom = t.y + PH * t.scaleY;
    // The product is there (not the backdrop) at its record's centre…
    const centre = px(cx, t.y + (PH * t.scaleY) / 2);
    expect(Math.abs(luma(centre) - bgLuma) + Math.abs(centre[2]! - BG.b)).toBeGreaterThan(30);
    // …a shadow darkens the ground just under it…
    const under = Math.min(...[2, 4, 6, 8].map((d) => luma(px(cx, bottom + d))));
    expect(under).toBeLessThan(bgLuma - 12);
    // …and far from every product the backdrop is untouched.
    expect(px(20, 20)).toEqual([BG.r, BG.g, BG.b]);
    await snap(ui.page, 'ad-canvas-02-rendered');
  });

  it('drops a cut-out from the tray centred at the drop point, selected, as one step', async () => {
    const before = await undoList();
    const at = await toPage(200, 650);
    const asset = await ui.page.evaluate((i) => (globalThis as G).__adstudioTest.store.document().records[i]! as unknown as { props: { asset: string } }, ids[1]!);
    const id = await ui.page.evaluate(
      ({ at, hash }) => {
        const w = globalThis as unknown as DomDrop;
        const el = w.document.querySelector('[data-testid="ad-canvas"]')!;
        const dt = new w.DataTransfer();
        dt.setData('application/x-adstudio-cutout', JSON.stringify({ asset: hash, width: 300, height: 200, madeBy: 'cutout:test', source: null }));
        el.dispatchEvent(new w.DragEvent('dragover', { dataTransfer: dt, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true }));
        el.dispatchEvent(new w.DragEvent('drop', { dataTransfer: dt, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true }));
        return (globalThis as G).__adstudioTest.editor.session.get().selectedId;
      },
      { at, hash: asset.props.asset },
    );
    expect(id).not.toBeNull();
    expect(ids).not.toContain(id);
    const t = (await rec(id!)).transform;
    expect(Math.abs(t.x + (PW * t.scaleX) / 2 - 200)).toBeLessThan(1.5);
    expect(Math.abs(t.y + (PH * t.scaleY) / 2 - 650)).toBeLessThan(1.5);
    expect(await undoList()).toEqual([...before, 'adCanvas.history.add']);
    // Delete removes it again (one more step).
    await ui.page.keyboard.press('Delete');
    expect(await ui.page.evaluate((i) => !!(globalThis as G).__adstudioTest.store.document().records[i], id!)).toBe(false);
  });

  it('drags a cut-out from the Cut-outs tray onto the canvas with real HTML5 drag and drop: a new product centred at the drop, one step', async () => {
    const before = await undoList();
    const products = () => ui.page.evaluate(() => Object.values((globalThis as G).__adstudioTest.store.document().records).filter((r) => r.type === 'product').map((r) => r.id));
    const had = await products();
    const item = ui.page.getByTestId(`cutout-${ids[1]!}`);
    await item.scrollIntoViewIfNeeded();
    expect(await item.getAttribute('draggable')).toBe('true');
    const canvas = ui.page.getByTestId('ad-canvas');
    const host = (await canvas.boundingBox())!;
    const at = await toPage(230, 330);
    await item.dragTo(canvas, { targetPosition: { x: at.x - host.x, y: at.y - host.y } });
    const now = await products();
    const added = now.filter((id) => !had.includes(id));
    expect(added).toHaveLength(1);
    expect(await ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.session.get().selectedId)).toBe(added[0]);
    const t = (await rec(added[0]!)).transform;
    // The payload is the 300×200 cut-out; an 800 px canvas takes it at full size. Page px are whole, ≈1.05 canvas px.
    expect(t.scaleX).toBe(1);
    expect(Math.abs(t.x + PW / 2 - 230)).toBeLessThan(2);
    expect(Math.abs(t.y + PH / 2 - 330)).toBeLessThan(2);
    expect(await undoList()).toEqual([...before, 'adCanvas.history.add']);
    await snap(ui.page, 'ad-canvas-04-tray-drop');
    await ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.undo());
    expect(await products()).toEqual(had);
  });
});
