import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
import type { HookGlobal, SessionLike, TestHook } from './support/hook-types.js';
import { decodeGray, decodeRgb, diffByMask, type Raster } from './support/pixels.js';
import { editDistance } from '../unit/main/engine/read-text/render-line.js';

/**
 * "Detect text" in the real editor (Chromium, browser mode, the real PP-OCRv4 detector and the
 * default eraser): Shift+T, outlines over the Korean ad, a region toggled off by clicking it, then
 * "Erase all text" as one undo step.
 */
const FIXTURE = fixture('ad-apples-korean-text.png');
const W = 1024;
const H = 1072;

/** What this test reads beyond support/hook-types.ts (declared here, as the page's types are DOM-typed). */
interface RegionLike {
  id: number;
  polygon: [number, number][];
  box: { x: number; y: number; w: number; h: number };
  score: number;
  text: string | null;
  mask?: { x: number; y: number; width: number; height: number; asset: string };
}
interface TextRegionsLike {
  image: string;
  regions: RegionLike[];
  enabled: boolean[];
  cropsReady: boolean;
}
type DetectHook = Omit<TestHook, 'editor'> & {
  proposedTextMask(): Promise<Uint8Array | null>;
  editor: Omit<TestHook['editor'], 'session'> & {
    session: { get(): SessionLike & { textRegions: TextRegionsLike | null } };
    textRegions: { visible(): boolean; eraseAll(): Promise<void> };
    hostJobs: { cancel(): Promise<void> };
  };
};

async function regionsState(page: Page): Promise<TextRegionsLike | null> {
  return page.evaluate(() => ((globalThis as HookGlobal).__adstudioTest as unknown as DetectHook).editor.session.get().textRegions);
}

/** The proposed mask from the page (image-sized, one byte per pixel). */
async function proposedMask(page: Page): Promise<Raster> {
  const b64 = await page.evaluate(async () => {
    const m = await ((globalThis as HookGlobal).__adstudioTest as unknown as DetectHook).proposedTextMask();
    if (!m) return null;
    let s = '';
    for (let i = 0; i < m.length; i += 0x8000) s += String.fromCharCode(...m.subarray(i, i + 0x8000));
    return btoa(s);
  });
  if (!b64) throw new Error('no text regions are proposed');
  return { data: Buffer.from(b64, 'base64'), width: W, height: H, channels: 1 };
}

/** Share of "outline cyan" pixels in a small screenshot square around an image point. */
async function cyanAround(page: Page, x: number, y: number): Promise<number> {
  const [p] = await imageToPage(page, [{ x, y }]);
  const png = await page.screenshot({ clip: { x: p!.x - 5, y: p!.y - 5, width: 11, height: 11 } });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 120 && data[i + 1]! > 150 && data[i + 2]! > 170) n++;
  return n / (info.width * info.height);
}

describe('detect text', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('detect-text', () => ui?.page);
  let opened: OpenedImage;
  let stroke: MaskState;
  let regions: RegionLike[];
  let crops: Map<number, Raster>;
  let headline: RegionLike;
  let proposed: Raster;

  beforeAll(async () => {
    h = await startHarness('detect-text');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Shift+T detects text with progress; Cancel stops it and proposes nothing', async () => {
    const { page } = ui;
    opened = await openImage(page, FIXTURE);
    // A brush stroke over the apples first: "Erase all text" must erase it too, and undo must bring it back.
    await page.getByTestId('tool-brush').click();
    await drag(page, [
      { x: 560, y: 600 },
      { x: 640, y: 610 },
    ]);
    await waitForUndoCount(page, 1);
    stroke = await maskState(page);
    expect(stroke.asset).toMatch(/^[0-9a-f]{64}$/);

    await recordJobStates(page);
    await page.keyboard.press('Shift+T');
    await page.getByTestId('job-toast').waitFor({ state: 'visible' });
    expect(await page.getByTestId('job-toast').getAttribute('data-kind')).toBe('detect');
    await page.waitForFunction(() => {
      const job = (globalThis as HookGlobal).__adstudioTest!.editor.session.get().job;
      return job?.jobId != null && job.phase === 'running';
    });
    await page.getByTestId('job-cancel').click();
    await page.getByTestId('job-toast').waitFor({ state: 'hidden', timeout: 15_000 });
    await page.getByTestId('notice-info').first().waitFor();
    expect(await page.getByTestId('notice-error').count()).toBe(0);
    expect(await regionsState(page)).toBeNull();
    expect(await page.getByTestId('text-regions-panel').count()).toBe(0);
    expect(await maskState(page)).toEqual(stroke);
  });

  it('Detect text again (a second press meanwhile is harmless): outlines and the list appear', async () => {
    const { page } = ui;
    await recordJobStates(page);
    await page.getByTestId('detect-text').click();
    await page.keyboard.press('Shift+T');
    await page.getByTestId('text-regions-panel').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(() => ((globalThis as HookGlobal).__adstudioTest as unknown as DetectHook).editor.session.get().textRegions?.cropsReady === true);
    const { states } = await jobStates(page);
    const ids = new Set(states.map((s) => s.jobId).filter((id) => id !== null));
    expect(ids.size).toBe(1);
    expect(Math.max(...states.map((s) => s.progress))).toBe(1);
    await page.getByTestId('notice-success').first().waitFor();

    const state = (await regionsState(page))!;
    expect(state.image).toBe(opened.asset);
    regions = state.regions;
    // The apples ad: 3 lines of copy at the top, 4 in the bottom bar.
    expect(regions.length).toBeGreaterThanOrEqual(6);
    expect(state.enabled.every(Boolean)).toBe(true);
    expect(await page.getByTestId('text-regions-count').innerText()).toContain(`${regions.length} / ${regions.length}`);
    for (const r of regions) expect(await page.getByTestId(`text-region-${r.id}`).isVisible()).toBe(true);
    // The copy read offline (tesseract.js) is what the list shows, for lines Tesseract reads reliably:
    // the date under the price and the small print in the bottom bar (small OCR slips allowed).
    for (const [x, y, copy] of [
      [448, 235, '(1월 29일까지)'],
      [121, 953, '원산지: 대구'],
      [122, 981, '신선한 과일을 엄선하여 준비했습니다'],
    ] as const) {
      const r = regions.find((g) => Math.abs(g.box.x - x) < 15 && Math.abs(g.box.y - y) < 15);
      expect(r, `a region at ${x},${y}`).toBeDefined();
      const shown = await page.getByTestId(`text-region-${r!.id}`).locator('.text-region-text').innerText();
      expect(shown).toBe(r!.text);
      expect(editDistance(shown, copy), `the list shows ${JSON.stringify(shown)} for ${copy}`).toBeLessThanOrEqual(0.2);
    }
    // The headline "2만 5천원": the biggest line at the top.
    headline = regions.filter((r) => r.box.y < 300).sort((a, b) => b.box.w * b.box.h - a.box.w * a.box.h)[0]!;
    expect(headline.box.y).toBeGreaterThan(140);

    // Outlines are drawn on the canvas, in the proposal colour, where the regions are (zoom and pan applied).
    for (const r of [regions[0]!, headline]) {
      const [a, b] = r.polygon;
      expect(await cyanAround(page, (a![0] + b![0]) / 2, (a![1] + b![1]) / 2), `outline of region ${r.id}`).toBeGreaterThan(0.05);
    }
    expect(await cyanAround(page, 150, 500)).toBe(0);

    // The proposed mask is exactly the union of the regions' own crops (fetched from the server).
    crops = new Map();
    for (const r of regions) {
      expect(r.mask, `region ${r.id} has a crop`).toBeDefined();
      const raster = await decodeGray(await fetchAsset(ui.context, h.editor.origin, r.mask!.asset));
      expect([raster.width, raster.height]).toEqual([r.mask!.width, r.mask!.height]);
      crops.set(r.id, raster);
    }
    proposed = await proposedMask(page);
    expect(proposed.data.equals(union(regions, crops))).toBe(true);
    await snap(page, 'detect-01-regions');
  });

  it('clicking a region toggles it: the proposal loses exactly that region’s own pixels, the mask is untouched', async () => {
    const { page } = ui;
    const c = headline.polygon.reduce((s, [x, y]) => ({ x: s.x + x / headline.polygon.length, y: s.y + y / headline.polygon.length }), { x: 0, y: 0 });
    const [p] = await imageToPage(page, [c]);
    await page.mouse.click(p!.x, p!.y);
    const state = (await regionsState(page))!;
    const index = regions.findIndex((r) => r.id === headline.id);
    expect(state.enabled).toEqual(regions.map((_, i) => i !== index));
    expect(await page.getByTestId(`text-region-check-${headline.id}`).isChecked()).toBe(false);
    // The click went to the region, not to the brush.
    expect(await maskState(page)).toEqual(stroke);

    const after = await proposedMask(page);
    const others = union(
      regions.filter((r) => r.id !== headline.id),
      crops,
    );
    expect(after.data.equals(others)).toBe(true);
    const crop = crops.get(headline.id)!;
    const m = headline.mask!;
    let changed = 0;
    let stray = 0;
    for (let i = 0; i < after.data.length; i++) {
      if (after.data[i] === proposed.data[i]) continue;
      changed++;
      const x = i % W;
      const y = Math.floor(i / W);
      // Every changed pixel must be one of the headline's own, and no other region may cover it.
      const own = x >= m.x && y >= m.y && x < m.x + m.width && y < m.y + m.height && crop.data[(y - m.y) * m.width + (x - m.x)] === 255;
      if (!own || others[i] !== 0) stray++;
    }
    expect(stray).toBe(0);
    expect(changed).toBeGreaterThan(5000);
    const [a, b] = headline.polygon;
    expect(await cyanAround(page, (a![0] + b![0]) / 2, (a![1] + b![1]) / 2)).toBe(0);
    proposed = after;
    await snap(page, 'detect-02-toggled');
  });

  it('a cancelled "Erase all text" leaves the document exactly as it was', async () => {
    const { page } = ui;
    await page.evaluate(async () => {
      const ed = ((globalThis as HookGlobal).__adstudioTest as unknown as DetectHook).editor;
      const erasing = ed.textRegions.eraseAll();
      await ed.hostJobs.cancel();
      await erasing;
    });
    await page.getByTestId('job-toast').waitFor({ state: 'hidden', timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await imageAsset(page)).toBe(opened.asset);
    expect(await maskState(page)).toEqual(stroke);
    expect(await page.getByTestId('compare-bar').count()).toBe(0);
    expect((await regionsState(page))!.enabled.filter((e) => !e)).toHaveLength(1);
  });

  it('"Erase all text" erases the enabled regions and the painted mask as ONE undo step', async () => {
    const { page } = ui;
    await page.getByTestId('text-regions-erase').click();
    await page.getByTestId('compare-bar').waitFor({ state: 'visible', timeout: 60_000 });
    const after = await maskState(page);
    expect(after).toMatchObject({ asset: null, painted: 0, undo: ['history.brush', 'history.eraseText'] });
    const erased = await imageAsset(page);
    expect(erased).not.toBe(opened.asset);
    // The proposal belongs to the original image: hidden on the result.
    expect(await page.getByTestId('text-regions-panel').count()).toBe(0);
    await page.waitForFunction((a) => !!(globalThis as HookGlobal).__adstudioTest!.editor.assets.peekImage(a), erased);
    await page.getByTestId('compare-accept').click();
    await snap(page, 'detect-03-erased');

    // What was erased: the enabled regions plus the stroke. Nothing else changed.
    const strokeMask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, stroke.asset!));
    const erasedMask: Raster = { ...proposed, data: Buffer.from(proposed.data.map((v, i) => Math.max(v, strokeMask.data[i]!))) };
    const original = await decodeRgb(FIXTURE);
    const result = await decodeRgb(await fetchAsset(ui.context, h.editor.origin, erased));
    const diff = diffByMask(original, result, erasedMask);
    expect(diff.outsideChanged).toBe(0);
    expect(diff.insideTotal).toBeGreaterThan(10_000);
    expect(diff.insideMeanAbsDiff).toBeGreaterThan(8);
    // The headline, toggled off, is still there pixel for pixel.
    const m = headline.mask!;
    const own = crops.get(headline.id)!;
    let kept = 0;
    let touched = 0;
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        const i = (m.y + y) * W + m.x + x;
        if (own.data[y * m.width + x] !== 255 || erasedMask.data[i]) continue;
        kept++;
        for (let k = 0; k < 3; k++) if (result.data[i * 3 + k] !== original.data[i * 3 + k]) touched++;
      }
    }
    expect(touched).toBe(0);
    expect(kept).toBeGreaterThan(5000);
    // Each erased text line did change.
    for (const r of regions.filter((x) => x.id !== headline.id)) {
      const c = r.mask!;
      let sum = 0;
      let n = 0;
      for (let y = c.y; y < c.y + c.height; y++) {
        for (let x = c.x; x < c.x + c.width; x++) {
          const i = y * W + x;
          if (!erasedMask.data[i]) continue;
          for (let k = 0; k < 3; k++) sum += Math.abs(result.data[i * 3 + k]! - original.data[i * 3 + k]!);
          n += 3;
        }
      }
      expect(sum / n, `region ${r.id}`).toBeGreaterThan(3);
    }
  });

  it('one undo brings back the original image AND the painted mask; the proposal shows again', async () => {
    const { page } = ui;
    await page.keyboard.press('Control+KeyZ');
    await page.waitForFunction((a) => (globalThis as HookGlobal).__adstudioTest!.editor.image()?.props.asset === a, opened.asset);
    expect(await maskState(page)).toMatchObject({ asset: stroke.asset, checksum: stroke.checksum, undo: ['history.brush'], redo: ['history.eraseText'] });
    expect(await page.getByTestId('compare-bar').count()).toBe(0);
    await page.getByTestId('text-regions-panel').waitFor({ state: 'visible' });
    expect((await regionsState(page))!.enabled.filter((e) => !e)).toHaveLength(1);
    await snap(page, 'detect-04-undone');
  });

  it('"Add to mask" merges the enabled regions into the mask as one step; opening another image clears the proposal', async () => {
    const { page } = ui;
    await page.getByTestId('text-regions-add').click();
    await waitForUndoCount(page, 2);
    const merged = await maskState(page);
    expect(merged.undo).toEqual(['history.brush', 'history.addTextMask']);
    const strokeMask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, stroke.asset!));
    const mask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, merged.asset!));
    expect(mask.data.equals(Buffer.from(proposed.data.map((v, i) => Math.max(v, strokeMask.data[i]!))))).toBe(true);
    expect(await page.getByTestId('text-regions-panel').count()).toBe(0);
    await page.keyboard.press('Control+KeyZ');
    expect(await maskState(page)).toMatchObject({ asset: stroke.asset, undo: ['history.brush'] });

    // Opening another image (discarding the unsaved stroke) forgets the proposal; a plain picture
    // has no text, and the editor says so.
    const plain = join(h.work.files, 'plain-gradient.png');
    const px = Buffer.alloc(480 * 320 * 3);
    for (let i = 0; i < 480 * 320; i++) px.set([60 + (i % 480) / 4, 90, 140 + Math.floor(i / 480) / 4], i * 3);
    await sharp(px, { raw: { width: 480, height: 320, channels: 3 } }).png().toFile(plain);
    await page.getByTestId('open-image-input').setInputFiles(plain);
    await page.getByTestId('confirm-discard').click();
    await page.waitForFunction(() => (globalThis as HookGlobal).__adstudioTest!.editor.image()?.name === 'plain-gradient.png', undefined, { timeout: 30_000 });
    expect(await regionsState(page)).toBeNull();
    expect(await page.getByTestId('text-regions-panel').count()).toBe(0);
    await page.keyboard.press('Shift+T');
    await page.getByTestId('text-regions-empty').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('notice-info').last().innerText()).toContain('글자를 찾지 못했습니다');
    expect(await page.getByTestId('text-regions-erase').count()).toBe(0);
    await snap(page, 'detect-05-no-text');
  });
});

/** Union (max) of the regions' crops, image-sized. */
function union(list: RegionLike[], crops: Map<number, Raster>): Buffer {
  const out = Buffer.alloc(W * H);
  for (const r of list) {
    const m = r.mask!;
    const c = crops.get(r.id)!;
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        const v = c.data[y * m.width + x]!;
        const i = (m.y + y) * W + m.x + x;
        if (v > out[i]!) out[i] = v;
      }
    }
  }
  return out;
}
