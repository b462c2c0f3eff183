#!/usr/bin/env node
// `npm run bench:editor`: how the editor feels with big images, measured in real Chromium against the
// real browser-mode editor (`adstudio editor`), as the benchmark asks:
//   (a) time to first paint of a 24-megapixel JPEG (6000×4000): from the file input's change event to
//       the first frame that drew the photo;
//   (b) brush stroke latency per pointer move on a 4096×4096 image: from each pointer sample's
//       timeStamp to the next animation frame after the handler drew it (median, p95, max);
//   (c) mask commit time: from pointer-up to the stroke being one undo step in history, and until the
//       mask is stored on the host (background upload).
// The app records (a) and (b) itself, only when opened with ?test=1 (renderer/src/app/test-hook.ts).
// Prints figures, not pass/fail. Usage: node scripts/bench-editor.mjs [--runs N] [--strokes N] [--keep]
/* global window, document */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, strokes: { type: 'string', default: '6' }, keep: { type: 'boolean', default: false } },
});
const runs = Math.max(1, Number(values.runs) || 3);
const strokes = Math.max(1, Number(values.strokes) || 6);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The real fixture images live beside the repository (as test/support/fixtures.ts looks for them).
const FIXTURE = [process.env.ADSTUDIO_FIXTURES, fileURLToPath(new URL('../../shared/fixtures', import.meta.url)), '/work/shared/fixtures']
  .filter(Boolean)
  .map((dir) => join(dir, 'ad-market-banana-price.png'))
  .find((p) => existsSync(p));
if (!FIXTURE) {
  process.stderr.write('bench:editor: fixture ad-market-banana-price.png not found; set ADSTUDIO_FIXTURES\n');
  process.exit(1);
}
const VIEW = { width: 1440, height: 900 };
const log = (m) => process.stderr.write(`bench:editor: ${m}\n`);

// ---- build ----
const built = spawnSync(process.execPath, [join(root, 'scripts/start.mjs'), '--build-only'], { cwd: root, stdio: ['ignore', 2, 2] });
if (built.status !== 0) process.exit(built.status ?? 1);

// ---- images (photo-like: the banana ad upscaled, with film grain so the files are photo-sized) ----
const work = mkdtempSync(join(tmpdir(), 'adstudio-bench-editor-'));
const dataDir = join(work, 'data');
const projectsDir = join(work, 'projects');

async function photo(width, height, seed) {
  const base = await sharp(FIXTURE).resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).modulate({ hue: seed * 7, brightness: 1 + seed * 0.02 }).toBuffer();
  const grain = await sharp({ create: { width, height, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 10 } } }).png().toBuffer();
  return sharp(base).composite([{ input: grain, blend: 'soft-light' }]);
}

log('generating images…');
const jpegs = [];
for (let i = 0; i < runs; i++) {
  const path = join(work, `photo-24mp-${i + 1}.jpg`);
  await (await photo(6000, 4000, i)).jpeg({ quality: 90 }).toFile(path);
  jpegs.push(path);
}
const big = join(work, 'photo-4096.png');
await (await photo(4096, 4096, 9)).png({ compressionLevel: 6 }).toFile(big);
const mb = (p) => `${(statSync(p).size / 2 ** 20).toFixed(1)} MB`;
log(`24 MP JPEG: ${mb(jpegs[0])}; 4096² PNG: ${mb(big)}`);

// ---- editor + browser ----
async function startEditor() {
  const args = ['dist/main/cli.mjs', 'editor', '--port', '0', '--data-dir', dataDir, '--projects-dir', projectsDir];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d.toString()));
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the editor printed no URL in 30 s:\n${err}`)), 30_000);
    createInterface({ input: proc.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    proc.once('exit', (code) => reject(new Error(`the editor exited with ${code}:\n${err}`)));
  });
  const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`unexpected first line from the editor: ${line}`);
  return { proc, url };
}

const editor = await startEditor();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function freshPage() {
  const context = await browser.newContext({ viewport: VIEW, deviceScaleFactor: 1, locale: 'ko-KR' });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  if (process.env.BENCH_DEBUG) {
    page.on('console', (m) => log(`console ${performance.now().toFixed(0)}: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && log(`HTTP ${r.status()} ${r.url()}`));
  }
  // The token URL sets the session cookie and redirects to / without query parameters.
  await page.goto(editor.url);
  // A build running meanwhile (npm test elsewhere in this tree) empties dist/renderer for a while: retry.
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${new URL(editor.url).origin}/?test=1`);
    try {
      await page.waitForFunction(() => !!window.__adstudioTest, null, { timeout: 30_000 });
      return { context, page };
    } catch (err) {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '?');
      if (attempt >= 6) throw new Error(`the editor did not start in the page (${page.url()}): ${text.slice(0, 500)}`, { cause: err });
      log(`the editor page did not start (${text.slice(0, 80).trim() || 'blank'}); retrying…`);
      await page.waitForTimeout(5000);
    }
  }
}

/**
 * Open `path` through the hidden file input. ms from its change event to the first frame that drew
 * the photo (`first`; a screen-resolution preview counts) and to the first frame at full resolution.
 */
async function openAndTimeFirstPaint(page, path) {
  await page.evaluate(() => {
    window.__adstudioTest.resetMetrics();
    window.__benchChangeAt = null;
    document.addEventListener('change', (e) => (window.__benchChangeAt ??= e.timeStamp), { capture: true, once: true });
  });
  await page.setInputFiles('[data-testid=open-image-input]', path);
  const handle = await page.waitForFunction(
    () => {
      const m = window.__adstudioTest.metrics;
      const notices = [...document.querySelectorAll('[data-testid=notice-error]')].map((n) => n.textContent).join(' ');
      if (notices) return { error: notices };
      if (m.fullPaintAt === null || window.__benchChangeAt === null) return null;
      return { first: m.firstPaintAt - window.__benchChangeAt, full: m.fullPaintAt - window.__benchChangeAt };
    },
    null,
    { timeout: 120_000, polling: 20 },
  );
  const r = await handle.jsonValue();
  if (r.error) throw new Error(`opening ${path} failed: ${r.error}`);
  return r;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Paint `count` strokes across the image like a person would (125 Hz mouse); returns commit timings. */
async function paintStrokes(page, count) {
  const box = await page.locator('[data-testid=canvas-container]').boundingBox();
  await page.evaluate(() => {
    const t = window.__adstudioTest;
    t.editor.setTool('brush');
    t.editor.setBrushSize(120);
    t.resetMetrics();
    window.__benchCommits = [];
    window.__benchUpAt = null;
    document.addEventListener('pointerup', (e) => (window.__benchUpAt = e.timeStamp), { capture: true });
    t.store.subscribeHistory(() => {
      if (window.__benchUpAt !== null) window.__benchCommits.push(performance.now() - window.__benchUpAt);
      window.__benchUpAt = null;
    });
  });
  const commits = [];
  const stored = [];
  for (let s = 0; s < count; s++) {
    const y = box.y + box.height * (0.2 + (0.6 * s) / Math.max(1, count - 1));
    const x0 = box.x + box.width * 0.25;
    const x1 = box.x + box.width * 0.75;
    await page.mouse.move(x0, y);
    await page.mouse.down();
    const steps = 90;
    for (let i = 1; i <= steps; i++) {
      const f = i / steps;
      await page.mouse.move(x0 + (x1 - x0) * f, y + Math.sin(f * Math.PI * 3) * box.height * 0.05);
      await sleep(8);
    }
    const before = await page.evaluate(() => window.__benchCommits.length);
    await page.mouse.up();
    await page.waitForFunction((n) => window.__benchCommits.length > n, before, { timeout: 60_000, polling: 5 });
    commits.push(await page.evaluate(() => window.__benchCommits.at(-1)));
    // Until the host has the mask (what Erase/Save wait for): background upload + validation.
    stored.push(await page.evaluate(async () => {
      const t0 = performance.now();
      await window.__adstudioTest.settle();
      return performance.now() - t0;
    }));
  }
  const m = await page.evaluate(() => ({ latencies: [...window.__adstudioTest.metrics.moveLatencies], work: [...window.__adstudioTest.metrics.moveWork] }));
  return { commits, stored, ...m };
}

// ---- statistics + table ----
function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  return { n: v.length, median: q(0.5), p95: q(0.95), max: v[v.length - 1] };
}

function table(rows) {
  const head = ['', 'n', 'median', 'p95', 'max', 'target'];
  const body = rows.map((r) => [r.label, String(r.stats.n), r.fmt(r.stats.median), r.fmt(r.stats.p95), r.fmt(r.stats.max), r.target ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const ms = (v) => `${v.toFixed(1)} ms`;
const sec = (v) => `${(v / 1000).toFixed(2)} s`;

let exitCode = 0;
const loadBefore = loadavg();
try {
  log(`time to first paint of a 24 MP JPEG (${runs} runs, a fresh page and a new file each)…`);
  const firstPaints = [];
  const fullPaints = [];
  for (const path of jpegs) {
    const { context, page } = await freshPage();
    const t = await openAndTimeFirstPaint(page, path);
    firstPaints.push(t.first);
    fullPaints.push(t.full);
    await page.evaluate(() => window.__adstudioTest.settle());
    await context.close();
  }

  log(`brush strokes on the 4096² image (${strokes} strokes of 90 moves)…`);
  const { context, page } = await freshPage();
  const bigPaint = await openAndTimeFirstPaint(page, big);
  await page.evaluate(() => window.__adstudioTest.settle());
  await page.waitForTimeout(500);
  const brush = await paintStrokes(page, strokes);
  await context.close();

  const rows = [
    { label: 'first paint, 24 MP JPEG', stats: stats(firstPaints), fmt: sec, target: '≤ 1.5 s' },
    { label: '  full resolution on screen', stats: stats(fullPaints), fmt: sec },
    { label: 'brush latency per pointer move, 4096²', stats: stats(brush.latencies), fmt: ms, target: '≤ 16 ms' },
    { label: '  handler → frame (app work)', stats: stats(brush.work), fmt: ms },
    { label: 'mask commit after pointer-up', stats: stats(brush.commits), fmt: ms },
    { label: 'mask stored on host (after commit)', stats: stats(brush.stored), fmt: ms },
    { label: 'first paint, 4096² PNG', stats: stats([bigPaint.first]), fmt: sec },
  ];
  // Figures depend on the machine and on what else it runs: say both.
  const machine = `${availableParallelism()} CPU, load ${loadBefore.map((l) => l.toFixed(1)).join('/')} → ${loadavg().map((l) => l.toFixed(1)).join('/')}`;
  process.stdout.write(
    `\nadstudio editor benchmark — headless Chromium --disable-gpu, ${VIEW.width}×${VIEW.height} window, 24 MP JPEG ${mb(jpegs[0])}, 4096² PNG ${mb(big)}; ${machine}\n\n${table(rows)}\n` +
      `\nbrush latency: every pointer sample, from its timeStamp to the next animation frame after the app drew it (includes Chrome's wait for\n` +
      `that frame, up to 16.7 ms at 60 Hz); "handler → frame" is the app's own part. First paint: from the file input's change event to the first\n` +
      `frame that drew the photo (a big JPEG shows a screen-resolution preview first, then the full decode).\n`,
  );
} catch (err) {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
  editor.proc.kill('SIGTERM');
  if (values.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
