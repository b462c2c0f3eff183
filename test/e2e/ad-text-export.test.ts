import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, openEditorPage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';

/**
 * Ad copy on the canvas and the JPEG/WebP export, in real Chromium: an ad (plain backdrop + one
 * text layer) is built through the test hook; the copy is edited by double-click + typing Korean
 * (Ctrl+Enter commits one step, Escape leaves no history), then the ad is exported through the
 * export dialog as JPEG and as WebP and each file is decoded and checked pixel by pixel.
 */
interface TextRec {
  id: string;
  type: string;
  transform: { x: number; y: number; scaleX: number; scaleY: number; rotation: number };
  props: { text: string; width?: number; font: { size: number } };
}
interface Hook {
  store: { document(): { records: Record<string, TextRec> }; history(): { undo: string[]; redo: string[] } };
  editor: { ad: { state: { get(): { editingTextId: string | null } } } };
  ad: {
    open(spec: unknown): Promise<{ texts: string[] }>;
    toPage(x: number, y: number): { x: number; y: number };
  };
}
type G = typeof globalThis & { __adstudioTest: Hook };
/** Konva's global (konva puts itself on window): is the screen stage's text node drawn yet (font loaded)? */
interface KonvaGlobal {
  Konva: { stages: { container(): { closest(sel: string): unknown }; findOne(sel: string): { isVisible(): boolean } | undefined }[] };
}

const W = 1080;
const H = 1350;
const BG = { r: 236, g: 230, b: 218 };
const COPY = '봄 신상 30% 할인';
const SIZE = 72;
const TX = 120;
const TY = 200;
const TW = 840;

describe('ad copy on the canvas, JPEG and WebP export', () => {
  let h: Harness;
  let ui: EditorPage;
  let textId: string;
  captureFailures('ad-text-export', () => ui?.page);

  const rec = () => ui.page.evaluate((i) => (globalThis as G).__adstudioTest.store.document().records[i]!, textId);
  const undoList = () => ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.history().undo);
  const editor = () => ui.page.getByTestId('ad-text-editor');
  async function openEditor(): Promise<void> {
    const t = (await rec()).transform;
    const at = await ui.page.evaluate(([x, y]) => (globalThis as G).__adstudioTest.ad.toPage(x!, y!), [t.x + 40, t.y + SIZE / 2]);
    await ui.page.mouse.dblclick(at.x, at.y);
    await editor().waitFor({ timeout: 5000 });
    // The field takes the focus with the old words selected: typing replaces them.
    expect(await editor().evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
  }

  beforeAll(async () => {
    h = await startHarness('ad-text-export');
    ui = await openEditorPage(h.browser, h.editor);
    const background = (await sharp({ create: { width: W, height: H, channels: 3, background: BG } }).png().toBuffer()).toString('base64');
    const opened = await ui.page.evaluate((spec) => (globalThis as G).__adstudioTest.ad.open(spec), {
      width: W,
      height: H,
      background,
      products: [],
      texts: [{ text: 'Placeholder', transform: { x: TX, y: TY, scaleX: 1, scaleY: 1, rotation: 0 }, style: { width: TW, align: 'left', color: '#111111', font: { family: 'Noto Sans KR', weight: 700, size: SIZE } } }],
    });
    textId = opened.texts[0]!;
    await ui.page.getByTestId('ad-canvas').waitFor({ timeout: 20_000 });
    // Drawn (and so clickable) once its font is loaded.
    await ui.page.waitForFunction(
      (id) => !!(globalThis as unknown as KonvaGlobal).Konva.stages.find((s) => s.container().closest('[data-testid="ad-canvas"]'))?.findOne(`#${id}`)?.isVisible(),
      textId,
      { timeout: 20_000 },
    );
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('double-click, type Korean copy, Ctrl+Enter: the words change as ONE undo step', async () => {
    await openEditor();
    await ui.page.keyboard.type(COPY);
    expect(await editor().inputValue()).toBe(COPY);
    await snap(ui.page, 'ad-text-export-01-editing');
    await ui.page.keyboard.press('Control+Enter');
    await editor().waitFor({ state: 'detached' });
    expect((await rec()).props.text).toBe(COPY);
    expect(await undoList()).toEqual(['adCanvas.history.editText']);
    expect(await ui.page.evaluate(() => (globalThis as G).__adstudioTest.editor.ad.state.get().editingTextId)).toBeNull();
  });

  it('Escape in a second edit throws the typing away and leaves no history', async () => {
    await openEditor();
    expect(await editor().inputValue()).toBe(COPY);
    await ui.page.keyboard.type('지워질 글');
    await ui.page.keyboard.press('Escape');
    await editor().waitFor({ state: 'detached' });
    expect((await rec()).props.text).toBe(COPY);
    expect(await undoList()).toEqual(['adCanvas.history.editText']);
    expect((await ui.page.evaluate(() => (globalThis as G).__adstudioTest.store.history())).redo).toEqual([]);
  });

  for (const format of ['jpeg', 'webp'] as const) {
    it(`exports a full-size ${format.toUpperCase()} with the copy's pixels where its record is`, async () => {
      const { page } = ui;
      await page.keyboard.press('Control+Shift+E');
      const dialog = page.getByTestId('export-dialog');
      await dialog.waitFor();
      await page.getByTestId('export-format').selectOption(format);
      await page.getByTestId('export-name').fill(`copy-${format}`);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export-confirm').click()]);
      const path = join(h.work.files, `copy.${format}`);
      await download.saveAs(path);
      expect(await download.failure()).toBeNull();
      expect(download.suggestedFilename()).toMatch(format === 'jpeg' ? /^copy-jpeg\.jpe?g$/ : /^copy-webp\.webp$/);
      await dialog.waitFor({ state: 'hidden' });

      const meta = await sharp(path).metadata();
      expect(meta.format).toBe(format);
      expect([meta.width, meta.height]).toEqual([W, H]);
      const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const luma = (x: number, y: number) => {
        const o = (y * info.width + x) * info.channels;
        return 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
      };
      const bgLuma = 0.299 * BG.r + 0.587 * BG.g + 0.114 * BG.b;
      const darkIn = (x0: number, y0: number, x1: number, y1: number) => {
        let n = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (luma(x, y) < bgLuma - 120) n++;
        return n;
      };
      const t = (await rec()).transform;
      // Dark glyph pixels inside the copy's first line…
      const inText = darkIn(Math.round(t.x), Math.round(t.y), Math.round(t.x + TW), Math.round(t.y + SIZE * 1.2));
      expect(inText).toBeGreaterThan(SIZE * SIZE * 0.8);
      // …none in an equal band well below it, and the backdrop's colour survives the codec.
      expect(darkIn(Math.round(t.x), Math.round(t.y + SIZE * 3), Math.round(t.x + TW), Math.round(t.y + SIZE * 4.2))).toBe(0);
      expect(Math.abs(luma(20, H - 20) - bgLuma)).toBeLessThan(4);
    });
  }
});
