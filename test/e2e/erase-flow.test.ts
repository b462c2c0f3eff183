import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFailures,
  drag,
  fetchAsset,
  fixture,
  imageAsset,
  imageToPage,
  jobStates,
  maskState,
  openEditorPage,
  openImage,
  recordJobStates,
  snap,
  startHarness,
  waitForUndoCount,
  type EditorPage,
  type Harness,
  type MaskState,
  type OpenedImage,
} from './support/editor-page.js';
import type { HookGlobal } from './support/hook-types.js';
import { boundingBox, decodeGray, decodeRgb, diffByMask } from './support/pixels.js';

/**
 * The whole core loop a shop owner goes through, in real Chromium against the real browser-mode
 * server: open a Korean ad, brush over its headline, erase, compare, accept, undo/redo, export.
 */
const FIXTURE = fixture('ad-apples-korean-text.png');
/** The "특가 세일" headline of the fixture, in image pixels (1024×1072). */
const HEADLINE = { y: 98, x0: 430, x1: 595 };

describe('erase flow', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('erase', () => ui?.page);
  let opened: OpenedImage;
  let firstStroke: MaskState;
  let erasedAsset: string;
  let erasedMask: Buffer;

  beforeAll(async () => {
    h = await startHarness('erase');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the fixture photo from the file input and fits it in the window', async () => {
    const { page } = ui;
    await page.getByTestId('welcome').waitFor();
    opened = await openImage(page, FIXTURE);
    expect(opened).toMatchObject({ width: 1024, height: 1072 });
    expect(await page.getByTestId('document-title').innerText()).toContain('ad-apples-korean-text');
    expect(await page.getByTestId('layer-image').isVisible()).toBe(true);
    // Fitted: the whole image is visible, so the zoom is below 100 % on a 900 px tall window.
    const zoom = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.getZoom());
    expect(zoom).toBeGreaterThan(0.3);
    expect(zoom).toBeLessThan(1);
    await snap(page, 'erase-01-opened');
  });

  it('paints the mask with the brush where the pointer went, as one undo step', async () => {
    const { page } = ui;
    await page.getByTestId('tool-brush').click();
    const before = await maskState(page);
    expect(before).toMatchObject({ asset: null, painted: 0, undo: [] });

    const pts = [];
    for (let x = HEADLINE.x0; x <= HEADLINE.x1; x += 15) pts.push({ x, y: HEADLINE.y });
    await drag(page, pts);
    await waitForUndoCount(page, 1);
    firstStroke = await maskState(page);
    expect(firstStroke.undo).toEqual(['history.brush']);
    expect(firstStroke.asset).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('dirty-dot').isVisible()).toBe(true);

    // The stored mask lies where the pointer went: along the headline, about a brush (40 px) tall.
    const mask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, firstStroke.asset!));
    expect([mask.width, mask.height]).toEqual([1024, 1072]);
    const box = boundingBox(mask)!;
    const brush = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().brushSize);
    const tolerance = 4;
    expect(box.x0).toBeGreaterThanOrEqual(HEADLINE.x0 - brush / 2 - tolerance);
    expect(box.x0).toBeLessThanOrEqual(HEADLINE.x0 - brush / 2 + tolerance + brush / 4);
    expect(box.x1).toBeGreaterThanOrEqual(HEADLINE.x1 + brush / 2 - tolerance - brush / 4);
    expect(box.x1).toBeLessThanOrEqual(HEADLINE.x1 + brush / 2 + tolerance);
    expect(box.y0).toBeGreaterThanOrEqual(HEADLINE.y - brush / 2 - tolerance);
    expect(box.y1).toBeLessThanOrEqual(HEADLINE.y + brush / 2 + tolerance);
    expect(firstStroke.painted).toBeGreaterThan((HEADLINE.x1 - HEADLINE.x0) * brush * 0.8);
    await snap(page, 'erase-02-stroke');
  });

  it('Escape during a second stroke leaves the mask and the history as they were', async () => {
    const { page } = ui;
    const pts = await imageToPage(page, [
      { x: 380, y: 195 },
      { x: 520, y: 200 },
      { x: 650, y: 205 },
    ]);
    await page.mouse.move(pts[0]!.x, pts[0]!.y);
    await page.mouse.down();
    for (const p of pts.slice(1)) await page.mouse.move(p.x, p.y, { steps: 6 });
    // Mid-stroke the overlay shows the new paint (the live mask changed)...
    const during = await page.evaluate(() => {
      const d = (globalThis as HookGlobal).__adstudioTest!.editor.mask.live!.data;
      let n = 0;
      for (let i = 0; i < d.length; i++) if (d[i]! > 0) n++;
      return n;
    });
    expect(during).toBeGreaterThan(firstStroke.painted);
    await snap(page, 'erase-03-mid-stroke');
    await page.keyboard.press('Escape');
    await page.mouse.up();

    const after = await maskState(page);
    expect(after).toEqual(firstStroke);
    await snap(page, 'erase-04-after-escape');
  });

  it('Erase shows progress, then the before/after comparison; Accept keeps the result as one step', async () => {
    const { page } = ui;
    await recordJobStates(page);
    const erase = page.getByTestId('erase');
    expect(await erase.isEnabled()).toBe(true);
    await erase.click();
    await page.getByTestId('compare-bar').waitFor({ state: 'visible', timeout: 60_000 });
    const { states, shown } = await jobStates(page);
    // The toast's progress bar was on screen, and the job ran to 100 % before the result landed.
    expect(shown.length).toBeGreaterThan(0);
    expect(states.some((s) => s.phase === 'running')).toBe(true);
    expect(Math.max(...states.map((s) => s.progress))).toBe(1);
    expect(await page.getByTestId('job-toast').count()).toBe(0);

    erasedAsset = await imageAsset(page);
    expect(erasedAsset).not.toBe(opened.asset);
    const cmp = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().compare);
    expect(cmp).toMatchObject({ before: opened.asset, after: erasedAsset });
    await page.getByTestId('notice-success').first().waitFor();
    // Wait for the "before" half to be decoded and drawn before the screenshot.
    await page.waitForFunction((h) => !!(globalThis as HookGlobal).__adstudioTest!.editor.assets.peekImage(h), opened.asset);
    await snap(page, 'erase-05-compare');

    await page.getByTestId('compare-accept').click();
    await page.getByTestId('compare-bar').waitFor({ state: 'hidden' });
    const m = await maskState(page);
    // The erased mask is cleared in the same step as the image change.
    expect(m).toMatchObject({ asset: null, painted: 0, undo: ['history.brush', 'history.erase'] });
    expect(await imageAsset(page)).toBe(erasedAsset);
    erasedMask = await fetchAsset(ui.context, h.editor.origin, firstStroke.asset!);
    await snap(page, 'erase-06-accepted');
  });

  it('Undo brings back the original photo and the mask; Redo erases again', async () => {
    const { page } = ui;
    await page.getByTestId('undo').click();
    await page.waitForFunction((a) => (globalThis as HookGlobal).__adstudioTest!.editor.image()?.props.asset === a, opened.asset);
    expect(await maskState(page)).toMatchObject({ asset: firstStroke.asset, checksum: firstStroke.checksum, undo: ['history.brush'], redo: ['history.erase'] });
    // The original asset is the photo as opened, pixel for pixel.
    const original = await decodeRgb(FIXTURE);
    const restored = await decodeRgb(await fetchAsset(ui.context, h.editor.origin, opened.asset));
    expect(restored.data.equals(original.data)).toBe(true);
    await snap(page, 'erase-07-undo');

    await page.getByTestId('redo').click();
    await page.waitForFunction((a) => (globalThis as HookGlobal).__adstudioTest!.editor.image()?.props.asset === a, erasedAsset);
    expect(await maskState(page)).toMatchObject({ asset: null, painted: 0, undo: ['history.brush', 'history.erase'], redo: [] });
    await page.waitForFunction((a) => !!(globalThis as HookGlobal).__adstudioTest!.editor.assets.peekImage(a), erasedAsset);
    await snap(page, 'erase-08-redo');
  });

  it('exports a PNG at full size: unchanged outside the mask, changed inside', async () => {
    const { page } = ui;
    const file = await exportAs(ui, 'png', join(h.work.files, 'erased.png'));
    expect(file.suggested).toBe('erased-e2e.png');
    const meta = await sharp(file.path).metadata();
    expect(meta.format).toBe('png');
    const original = await decodeRgb(FIXTURE);
    const exported = await decodeRgb(file.path);
    expect([exported.width, exported.height]).toEqual([original.width, original.height]);
    const diff = diffByMask(original, exported, await decodeGray(erasedMask));
    expect(diff.outsideTotal).toBeGreaterThan(1_000_000);
    expect(diff.outsideChanged).toBe(0);
    expect(diff.insideTotal).toBeGreaterThan(3000);
    // The light headline letters were replaced by the darker background around them.
    expect(diff.insideMeanAbsDiff).toBeGreaterThan(8);
    // And the export is exactly the document's image.
    const current = await decodeRgb(await fetchAsset(ui.context, h.editor.origin, erasedAsset));
    expect(exported.data.equals(current.data)).toBe(true);
    await snap(page, 'erase-09-exported');
  });

  it('exports JPEG and WebP that decode at full resolution', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      const file = await exportAs(ui, format, join(h.work.files, `erased.${format}`));
      expect(file.suggested).toBe(`erased-e2e.${format === 'jpeg' ? 'jpg' : 'webp'}`);
      const meta = await sharp(file.path).metadata();
      expect(meta.format).toBe(format);
      const raster = await decodeRgb(file.path);
      expect([raster.width, raster.height]).toEqual([1024, 1072]);
      // Lossy, but still this picture: close to the PNG on average.
      const png = await decodeRgb(join(h.work.files, 'erased.png'));
      let sum = 0;
      for (let i = 0; i < png.data.length; i++) sum += Math.abs(png.data[i]! - raster.data[i]!);
      expect(sum / png.data.length).toBeLessThan(6);
    }
    const bytes = await readFile(join(h.work.files, 'erased.jpeg'));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });
});

/** Export dialog → format → name → confirm; saves the browser download to `path`. */
async function exportAs(ui: EditorPage, format: 'png' | 'jpeg' | 'webp', path: string): Promise<{ path: string; suggested: string }> {
  const { page } = ui;
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.waitFor();
  await page.getByTestId('export-format').selectOption(format);
  if (format !== 'png') await page.getByTestId('export-quality').fill('85');
  await page.getByTestId('export-name').fill('erased-e2e');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-confirm').click()]);
  await download.saveAs(path);
  const failure = await download.failure();
  if (failure) throw new Error(`the download failed: ${failure}`);
  await dialog.waitFor({ state: 'hidden' });
  return { path, suggested: download.suggestedFilename() };
}
