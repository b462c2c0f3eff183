import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { launchChromium } from './chromium.js';
import { startEditor, type EditorProcess } from './editor-process.js';
import type { DomGlobal, HookGlobal, JobLike } from './hook-types.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
import { FIXTURES_DIR } from '../../support/fixtures.js';
export { FIXTURES_DIR };
export const SCREENSHOTS_DIR = join(REPO, 'test-results', 'e2e');

export function fixture(name: string): string {
  return join(FIXTURES_DIR, name);
}

/**
 * `node scripts/start.mjs --build-only` (builds only when dist/ is older than the sources), once per
 * test run: vitest runs each file in a child of its main process, so a stamp named after that parent
 * lets the first file build and the others test the same build, even while sources are being edited.
 */
export function ensureBuilt(): void {
  const stamps = join(tmpdir(), 'adstudio-e2e-builds');
  const stamp = join(stamps, String(process.ppid));
  if (parentIsVitest() && existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < 30 * 60_000) return;
  const r = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
  if (r.status !== 0) throw new Error(`the build failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  mkdirSync(stamps, { recursive: true });
  // Stamps of earlier runs are of no use (a recycled pid is not "this run").
  for (const old of readdirSync(stamps)) if (Date.now() - statSync(join(stamps, old)).mtimeMs > 30 * 60_000) rmSync(join(stamps, old), { force: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

/** Where /proc says so (Linux); elsewhere every file just repeats the cheap staleness check. */
function parentIsVitest(): boolean {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').includes('vitest');
  } catch {
    return false;
  }
}

export interface WorkDir {
  root: string;
  dataDir: string;
  projectsDir: string;
  /** Files the test writes (inputs it crafts, downloads). */
  files: string;
  remove(): Promise<void>;
}

/** A fresh data + projects folder per test file, so no test sees another's settings or recovery. */
export async function makeWorkDir(label: string): Promise<WorkDir> {
  const root = await mkdtemp(join(tmpdir(), `adstudio-e2e-${label}-`));
  const dirs = { dataDir: join(root, 'data'), projectsDir: join(root, 'projects'), files: join(root, 'files') };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  return { root, ...dirs, remove: () => rm(root, { recursive: true, force: true }) };
}

export interface EditorPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far (a crash would show up here). */
  errors: string[];
}

/**
 * A browser context on the editor: follow the token link (sets the cookie), then open `/?test=1`
 * so the page installs window.__adstudioTest. With `asUser`, the page itself opens the printed link,
 * exactly as a person would (it lands on `/`, without the test hook).
 */
export async function openEditorPage(browser: Browser, editor: EditorProcess, opts: { locale?: string; asUser?: boolean } = {}): Promise<EditorPage> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'ko-KR',
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  if (opts.asUser) {
    await page.goto(editor.url);
    await page.getByTestId('welcome').waitFor();
    return { context, page, errors };
  }
  // The token link answers with the session cookie and a redirect to `/` (which drops `?test=1`).
  // Fetching it through the context's request API stores the cookie without loading the app twice.
  const link = await context.request.get(editor.url, { maxRedirects: 0 });
  if (link.status() !== 302 || !link.headers()['set-cookie']) throw new Error(`the token link answered ${link.status()} without a cookie`);
  await gotoTestPage(page, editor);
  return { context, page, errors };
}

export async function gotoTestPage(page: Page, editor: EditorProcess): Promise<void> {
  const failed: string[] = [];
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  const onResponse = (r: { url(): string; status(): number }) => r.status() >= 400 && failed.push(`${r.url()}: HTTP ${r.status()}`);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  try {
    await page.goto(`${editor.origin}/?test=1`);
    await page.waitForFunction(() => !!(globalThis as HookGlobal).__adstudioTest, undefined, { timeout: 30_000 });
  } catch (e) {
    const body = await page.locator('body').innerText().catch(() => '(no body)');
    throw new Error(`the editor page did not start: ${(e as Error).message}\npage shows: ${body.slice(0, 500)}\nfailed loads: ${failed.join('; ') || 'none'}\neditor stderr: ${editor.stderr().slice(-1000)}`);
  } finally {
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
  }
}

export async function snap(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface OpenedImage {
  asset: string;
  width: number;
  height: number;
}

/** Choose a file in the (hidden) open-image input, as the Open button would. */
export async function chooseImageFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('open-image-input').setInputFiles(path);
}

/** Open an image and wait until it is a document, decoded and drawn, with its mask ready to paint. */
export async function openImage(page: Page, path: string): Promise<OpenedImage> {
  await chooseImageFile(page, path);
  return waitForImage(page, basename(path));
}

export async function waitForImage(page: Page, name: string): Promise<OpenedImage> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const ed = (globalThis as HookGlobal).__adstudioTest!.editor;
      const img = ed.image();
      const s = ed.session.get();
      if (!img || img.name !== wanted || s.loading || !ed.mask.live || !ed.assets.peekImage(img.props.asset)) return null;
      return { asset: img.props.asset, width: img.props.width, height: img.props.height };
    },
    name,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as OpenedImage;
}

export interface Point {
  x: number;
  y: number;
}

/** Image pixel → page coordinates, from the session viewport (screen = image * zoom + offset) and the canvas box. */
export async function imageToPage(page: Page, points: Point[]): Promise<Point[]> {
  const box = await page.getByTestId('canvas-container').boundingBox();
  if (!box) throw new Error('the canvas is not on screen');
  const vp = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().viewport);
  return points.map((p) => ({ x: box.x + vp.x + p.x * vp.zoom, y: box.y + vp.y + p.y * vp.zoom }));
}

/**
 * Drag with the mouse through image points (a brush stroke, a rectangle). `escapeBeforeRelease`
 * presses Escape while the button is still down, as a user cancelling the stroke would.
 */
export async function drag(page: Page, imagePoints: Point[], opts: { escapeBeforeRelease?: boolean } = {}): Promise<void> {
  const pts = await imageToPage(page, imagePoints);
  const [first, ...rest] = pts;
  if (!first) return;
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const p of rest) await page.mouse.move(p.x, p.y, { steps: 6 });
  if (opts.escapeBeforeRelease) await page.keyboard.press('Escape');
  await page.mouse.up();
}

export interface MaskState {
  asset: string | null;
  /** Pixels > 0 in the live mask (what the user sees as the overlay). */
  painted: number;
  /** FNV-1a over the live mask bytes: equal states, equal checksums. */
  checksum: number;
  undo: string[];
  redo: string[];
}

/** The mask after every pending commit has reached the document (and its asset the host). */
export async function maskState(page: Page): Promise<MaskState> {
  return page.evaluate(async () => {
    const t = (globalThis as HookGlobal).__adstudioTest!;
    await (t.settle ? t.settle() : t.editor.mask.idle());
    await t.editor.assets.whenUploaded?.();
    const live = t.editor.mask.live;
    let painted = 0;
    let h = 0x811c9dc5;
    if (live) {
      const d = live.data;
      for (let i = 0; i < d.length; i++) {
        if (d[i]! > 0) painted++;
        h = Math.imul(h ^ d[i]!, 0x01000193);
      }
    }
    const hist = t.store?.history() ?? { undo: [], redo: [] };
    return { asset: t.editor.maskRecord()?.props.asset ?? null, painted, checksum: h >>> 0, undo: hist.undo, redo: hist.redo };
  });
}

/** Wait until the document's mask is `asset` and its pixels are loaded into the live mask (ready to paint). */
export async function waitForMaskAsset(page: Page, asset: string | null): Promise<void> {
  await page.waitForFunction(
    (a) => {
      const ed = (globalThis as HookGlobal).__adstudioTest!.editor;
      return ed.maskRecord()?.props.asset === a && ed.mask.surface() !== null;
    },
    asset,
    { timeout: 15_000 },
  );
}

/** Wait until the undo stack has `count` entries (a finished gesture lands asynchronously). */
export async function waitForUndoCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => ((globalThis as HookGlobal).__adstudioTest!.store?.history().undo.length ?? -1) === n, count, { timeout: 15_000 });
}

/**
 * Record every change of the erase job state, and every percentage the progress bar showed, so
 * short phases are not missed between polls.
 */
export async function recordJobStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as HookGlobal & DomGlobal;
    const ed = g.__adstudioTest!.editor;
    const log: JobLike[] = [];
    const shown: number[] = [];
    g.__e2eJobLog = log;
    g.__e2eProgressShown = shown;
    let last: JobLike | null = null;
    ed.session.subscribe(() => {
      const job = ed.session.get().job;
      if (job && job !== last) log.push({ jobId: job.jobId, phase: job.phase, progress: job.progress });
      last = job;
    });
    const observer = new g.MutationObserver(() => {
      const bar = g.document.querySelector('[data-testid="job-progress"]');
      const value = bar?.getAttribute('aria-valuenow');
      if (value != null && shown[shown.length - 1] !== Number(value)) shown.push(Number(value));
    });
    observer.observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

/** Job states seen since recordJobStates, and the percentages the progress bar displayed. */
export async function jobStates(page: Page): Promise<{ states: JobLike[]; shown: number[] }> {
  return page.evaluate(() => {
    const g = globalThis as HookGlobal & DomGlobal;
    return { states: g.__e2eJobLog ?? [], shown: g.__e2eProgressShown ?? [] };
  });
}

/** Image asset currently in the document. */
export async function imageAsset(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.image()!.props.asset);
}

/** The bytes of a stored asset, through the server with the page's cookie (what the page itself loads). */
export async function fetchAsset(context: BrowserContext, origin: string, hash: string): Promise<Buffer> {
  const res = await context.request.get(`${origin}/assets/${hash}`);
  if (!res.ok()) throw new Error(`asset ${hash} answered ${res.status()}`);
  return res.body();
}

/** Text of the newest error notice (waits for one to appear). */
export async function errorNoticeText(page: Page, timeout = 15_000): Promise<string> {
  const notice = page.getByTestId('notice-error').last();
  await notice.waitFor({ state: 'visible', timeout });
  return (await notice.innerText()).trim();
}

export interface Harness {
  work: WorkDir;
  editor: EditorProcess;
  browser: Browser;
  /** Stop the browser and the editor, remove the work folder (kept when ADSTUDIO_E2E_KEEP=1). */
  close(): Promise<void>;
}

/**
 * Build if stale, then a fresh work folder, a browser-mode editor on it and a headless Chromium.
 * `prepare` writes what the editor must find in the folder when it starts (settings, earlier logs).
 */
export async function startHarness(label: string, prepare?: (work: WorkDir) => Promise<void>): Promise<Harness> {
  ensureBuilt();
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const work = await makeWorkDir(label);
  try {
    await prepare?.(work);
  } catch (e) {
    await work.remove();
    throw e;
  }
  // Both take seconds on a busy machine: start them side by side.
  const [editor, browser] = await Promise.allSettled([startEditor({ dataDir: work.dataDir, projectsDir: work.projectsDir }), launchChromium()]);
  if (editor.status === 'rejected' || browser.status === 'rejected') {
    if (editor.status === 'fulfilled') await editor.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    await work.remove();
    throw editor.status === 'rejected' ? editor.reason : (browser as PromiseRejectedResult).reason;
  }
  const h: Harness = {
    work,
    editor: editor.value,
    browser: browser.value,
    async close() {
      await h.browser.close().catch(() => {});
      await h.editor.stop();
      if (process.env.ADSTUDIO_E2E_KEEP !== '1') await work.remove();
    },
  };
  return h;
}

/**
 * Call at describe level: when a test fails, keep a screenshot and the notices on screen, so a
 * failure in CI says what the user would have seen.
 */
export function captureFailures(label: string, page: () => Page | undefined): void {
  afterEach(async (ctx) => {
    const p = page();
    if (ctx.task.result?.state !== 'fail' || !p || p.isClosed()) return;
    const name = `FAILED-${label}-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`;
    const shot = await snap(p, name).catch(() => null);
    const notices = await p
      .locator('[data-testid^="notice-"], [data-testid="job-toast"]')
      .allInnerTexts()
      .catch(() => []);
    console.error(`${name}: screenshot ${shot ?? '(failed)'}; notices on screen: ${JSON.stringify(notices)}`);
  });
}
