import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelStore } from '../../main/core/models/index.js';
import { startLoopbackHub, type LoopbackHub } from '../unit/main/core/models/loopback-hub.js';
import { FILL_RGB, tinyLamaModel, tinyLamaSpec } from '../unit/main/engine/lama/tiny-lama-model.js';
import {
  captureFailures,
  drag,
  fetchAsset,
  fixture,
  imageAsset,
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
  type OpenedImage,
} from './support/editor-page.js';
import type { HookGlobal } from './support/hook-types.js';
import { decodeGray, decodeRgb } from './support/pixels.js';

/**
 * LaMa in the editor, in real Chromium against the real browser-mode server: the method menu offers
 * it with a one-click download from a loopback hub (a tiny ONNX model with LaMa's exact inputs and
 * outputs stands in for the 208 MB weights), a cancelled download leaves it not installed, the
 * finished one makes it selectable, and an erase with it changes the masked pixels only and says
 * LaMa made them.
 */
const MB = 1024 * 1024;
// Padded to 4 MB so the download has a middle to watch and to cancel in.
const MODEL = tinyLamaModel({ kind: 'fill', padBytes: 4 * MB });
const SPEC = tinyLamaSpec(MODEL);
const FIXTURE = fixture('ad-apples-korean-text.png');
/** The "특가 세일" headline of the fixture, in image pixels (1024×1072). */
const HEADLINE = { y: 98, x0: 430, x1: 595 };
const ENV_KEYS = ['ADSTUDIO_MODELS_DIR', 'ADSTUDIO_MODEL_HUB', 'ADSTUDIO_MODELS_REGISTRY', 'HF_HOME', 'HF_HUB_CACHE', 'HF_ENDPOINT'] as const;

describe('LaMa in the erase method menu', () => {
  let h: Harness;
  let ui: EditorPage;
  let hub: LoopbackHub;
  let modelsDir: string;
  let opened: OpenedImage;
  const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  captureFailures('lama', () => ui?.page);

  /** The model store the editor uses, read from the test process (same folder, same registry). */
  const hostStore = () => new ModelStore({ hubDir: join(modelsDir, 'hub'), hubUrl: hub.url, registry: [SPEC] });
  const row = (page: Page) => page.getByTestId('method-lama');

  beforeAll(async () => {
    hub = await startLoopbackHub();
    hub.put(`${SPEC.repo.org}/${SPEC.repo.name}`, SPEC.repo.revision, SPEC.files[0]!.path, MODEL);
    // The editor inherits this process's environment: point its model folder, hub and registry here.
    for (const k of ENV_KEYS) {
      if (process.env[k] !== undefined) savedEnv[k] = process.env[k];
      delete process.env[k];
    }
    const root = await mkdtemp(join(tmpdir(), 'adstudio-e2e-lama-models-'));
    modelsDir = join(root, 'models');
    const registry = join(root, 'registry.json');
    await writeFile(registry, JSON.stringify({ models: [SPEC] }));
    process.env.ADSTUDIO_MODELS_DIR = modelsDir;
    process.env.ADSTUDIO_MODEL_HUB = hub.url;
    process.env.ADSTUDIO_MODELS_REGISTRY = registry;
    h = await startHarness('lama');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
    await hub?.close();
    for (const k of ENV_KEYS) {
      delete process.env[k];
      if (savedEnv[k] !== undefined) process.env[k] = savedEnv[k];
    }
    if (modelsDir) await rm(join(modelsDir, '..'), { recursive: true, force: true });
  });

  it('offers LaMa next to the built-in methods, not installed, with a Download (4 MB) action', async () => {
    const { page } = ui;
    await page.getByTestId('welcome').waitFor();
    opened = await openImage(page, FIXTURE);
    const panel = page.getByTestId('erase-methods');
    await panel.waitFor();
    await row(page).waitFor();
    expect(await panel.innerText()).toContain('지우기 방법');
    // The built-in methods are there and the default is chosen.
    for (const id of ['patchmatch', 'telea', 'smooth']) expect(await page.getByTestId(`method-radio-${id}`).isEnabled()).toBe(true);
    expect(await page.getByTestId('method-radio-patchmatch').isChecked()).toBe(true);
    // LaMa: listed, not selectable yet, one click away.
    expect(await row(page).getAttribute('data-availability')).toBe('needs-download');
    expect(await page.getByTestId('method-radio-lama').isDisabled()).toBe(true);
    expect(await page.getByTestId('method-installed-lama').count()).toBe(0);
    expect((await page.getByTestId('method-download-lama').innerText()).trim()).toBe('다운로드 (4 MB)');
    expect(await row(page).innerText()).toContain('Apache-2.0');
    await row(page).scrollIntoViewIfNeeded();
    await snap(page, 'lama-01-not-installed');
  });

  it('Cancel midway stops the download and leaves LaMa not installed (the bytes kept for a resume)', async () => {
    const { page } = ui;
    hub.throttle(32 * 1024, 60); // ~8 s for the whole file
    await recordDownload(page);
    await page.getByTestId('method-download-lama').click();
    await page.getByTestId('method-download-progress-lama').waitFor();
    await page.waitForFunction(
      () => Number((globalThis as unknown as PageDom).document.querySelector('[data-testid="method-download-bar-lama"]')?.getAttribute('aria-valuenow') ?? 0) >= 5,
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.getByTestId('method-download-status-lama').innerText()).toMatch(/^받는 중 \d+ (kB|MB) \/ 4 MB$/);
    await snap(page, 'lama-02-downloading');
    await page.getByTestId('method-download-cancel-lama').click();

    await page.getByTestId('method-download-progress-lama').waitFor({ state: 'hidden', timeout: 15_000 });
    await page.getByTestId('notice-info').filter({ hasText: '다운로드를 취소했습니다' }).waitFor();
    expect(await row(page).getAttribute('data-availability')).toBe('needs-download');
    expect(await page.getByTestId('method-radio-lama').isDisabled()).toBe(true);
    // Resumable: the button offers the rest.
    expect(await page.getByTestId('method-download-lama').innerText()).toMatch(/^이어받기 \(\d+ (kB|MB) 남음\)$/);
    const status = hostStore().status('lama');
    expect(status.state).toBe('partial');
    expect(status.path).toBeNull();
    expect(status.partialBytes).toBeGreaterThan(0);
    expect(status.partialBytes).toBeLessThan(MODEL.length);
    await snap(page, 'lama-03-cancelled');
  });

  it('Download resumes with progress, then LaMa is installed and selectable', async () => {
    const { page } = ui;
    const kept = hostStore().status('lama').partialBytes;
    hub.throttle(128 * 1024, 40);
    hub.requests.length = 0;
    await recordDownload(page);
    await page.getByTestId('method-download-lama').click();
    await page.getByTestId('method-installed-lama').waitFor({ timeout: 30_000 });
    await page.getByTestId('notice-success').filter({ hasText: 'LaMa 모델을 받았습니다' }).waitFor();

    const { values, texts } = await downloadLog(page);
    // The bar moved through the middle, and the status said how much of the 4 MB had arrived.
    expect(values.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(2);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(texts.some((t) => /^받는 중 \d+ (kB|MB) \/ 4 MB$/.test(t))).toBe(true);
    // Only the missing part was fetched.
    expect(hub.requests.filter((r) => r.path.startsWith('/lfs/')).map((r) => [r.status, r.range])).toEqual([[206, `bytes=${kept}-`]]);
    expect(hostStore().status('lama').state).toBe('installed');

    expect(await row(page).getAttribute('data-availability')).toBe('ready');
    expect(await page.getByTestId('method-download-lama').count()).toBe(0);
    expect(await page.getByTestId('method-radio-lama').isEnabled()).toBe(true);
    await page.getByTestId('method-radio-lama').check();
    await page.waitForFunction(() => (globalThis as HookGlobal).__adstudioTest!.editor.settings.get().inpaintMethod === 'lama');
    expect(await page.getByTestId('method-radio-patchmatch').isChecked()).toBe(false);
    await snap(page, 'lama-04-installed-selected');
  });

  it('Erase with LaMa shows progress, changes the masked pixels only, and says LaMa made the result', async () => {
    const { page } = ui;
    await page.getByTestId('tool-brush').click();
    const pts = [];
    for (let x = HEADLINE.x0; x <= HEADLINE.x1; x += 15) pts.push({ x, y: HEADLINE.y });
    await drag(page, pts);
    await waitForUndoCount(page, 1);
    const stroke = await maskState(page);
    expect(stroke.asset).toMatch(/^[0-9a-f]{64}$/);

    await recordJobStates(page);
    await page.getByTestId('erase').click();
    await page.getByTestId('compare-bar').waitFor({ state: 'visible', timeout: 60_000 });
    const { states } = await jobStates(page);
    expect(states.some((s) => s.phase === 'running')).toBe(true);
    expect(Math.max(...states.map((s) => s.progress))).toBe(1);

    // The result says which method made it: the compare bar, the notice, the layer and the record.
    expect(await page.getByTestId('compare-made-by').innerText()).toBe('LaMa(으)로 지움');
    await page.getByTestId('notice-success').filter({ hasText: 'LaMa(으)로 지웠습니다.' }).waitFor();
    expect(await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.image()!.props.madeBy)).toBe('inpaint:lama');
    expect(await page.getByTestId('layer-image').innerText()).toContain('LaMa(으)로 지움');
    // Both halves decoded and drawn before the screenshot.
    await page.waitForFunction(() => {
      const ed = (globalThis as HookGlobal).__adstudioTest!.editor;
      const cmp = ed.session.get().compare;
      return !!cmp && !!ed.assets.peekImage(cmp.before) && !!ed.assets.peekImage(cmp.after);
    });
    await page.mouse.move(600, 600);
    await snap(page, 'lama-05-erased-compare');

    // Pixels: every pixel the mask erases (>= 128) is the network's output (the tiny model fills
    // holes with one known colour), every other pixel is exactly the original.
    const after = await decodeRgb(await fetchAsset(ui.context, h.editor.origin, await imageAsset(page)));
    const before = await decodeRgb(await fetchAsset(ui.context, h.editor.origin, opened.asset));
    const mask = await decodeGray(await fetchAsset(ui.context, h.editor.origin, stroke.asset!));
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    let inside = 0;
    let insideWrong = 0;
    let outsideChanged = 0;
    for (let i = 0; i < mask.data.length; i++) {
      const o = i * 3;
      if (mask.data[i]! >= 128) {
        inside++;
        if (after.data[o] !== FILL_RGB[0] || after.data[o + 1] !== FILL_RGB[1] || after.data[o + 2] !== FILL_RGB[2]) insideWrong++;
      } else if (after.data[o] !== before.data[o] || after.data[o + 1] !== before.data[o + 1] || after.data[o + 2] !== before.data[o + 2]) {
        outsideChanged++;
      }
    }
    expect(inside).toBeGreaterThan(3000);
    expect(insideWrong).toBe(0);
    expect(outsideChanged).toBe(0);

    await page.getByTestId('compare-accept').click();
    await page.getByTestId('compare-bar').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('layer-image').innerText()).toContain('LaMa(으)로 지움');
    expect(ui.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});

/** The little of the DOM this file reads inside the page (the Node-side typecheck has no DOM library). */
interface PageDom {
  document: { body: unknown; querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, unknown>): void; disconnect(): void };
  __lamaValues?: number[];
  __lamaTexts?: string[];
  __lamaObserver?: { disconnect(): void };
}

/** Record every value the download bar showed and every status line, so short phases are not missed. */
async function recordDownload(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageDom;
    g.__lamaObserver?.disconnect();
    const values: number[] = [];
    const texts: string[] = [];
    g.__lamaValues = values;
    g.__lamaTexts = texts;
    const observer = new g.MutationObserver(() => {
      const bar = g.document.querySelector('[data-testid="method-download-bar-lama"]');
      const v = bar?.getAttribute('aria-valuenow');
      if (v != null && values[values.length - 1] !== Number(v)) values.push(Number(v));
      const text = g.document.querySelector('[data-testid="method-download-status-lama"]')?.textContent;
      if (text && texts[texts.length - 1] !== text) texts.push(text);
    });
    observer.observe(g.document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    g.__lamaObserver = observer;
  });
}

async function downloadLog(page: Page): Promise<{ values: number[]; texts: string[] }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageDom;
    return { values: g.__lamaValues ?? [], texts: g.__lamaTexts ?? [] };
  });
}
