import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileJobStore } from '../../main/core/scheduler/job-store.js';
import { eraseTextJob, productAdJob } from '../../main/core/scheduler/job-templates.js';
import type { JobRecord, JobSpec } from '../../main/core/scheduler/scheduler-types.js';
import { launchChromium } from './support/chromium.js';
import { startEditor, type EditorProcess } from './support/editor-process.js';
import { captureFailures, ensureBuilt, fixture, makeWorkDir, openEditorPage, snap, startHarness, type EditorPage, type Harness, type WorkDir } from './support/editor-page.js';

/**
 * The Jobs panel in the real editor (Chromium, browser mode) over the real stage scheduler and the
 * SIMULATED-VRAM engine (no GPU here): the editor runs with ADSTUDIO_SIMULATE_VRAM_GB=22. The jobs
 * are queued records written into the editor's jobs folder before it starts — the same way queued
 * jobs continue after a restart — so no test-only route is needed. Text detection and erasing run
 * for real; cut-out, FLUX background/refine and compose are simulated (placeholders, scaled times:
 * FLUX loads in 6.4 s instead of 128 s).
 */
const JOBS_DIR = 'jobs-simulated';
const AD = 'e2e-ad';
const CANCEL = 'e2e-cancel';
const ERASE = 'e2e-erase';

function queued(id: string, spec: JobSpec, createdAt: number): JobRecord {
  return {
    id,
    spec,
    status: 'queued',
    progress: 0,
    etaSeconds: null,
    stages: spec.stages.map((s) => ({ id: s.id, status: 'waiting', step: 0, totalSteps: 0, attempts: 0, startedAt: null, finishedAt: null, outputs: {}, madeBy: null, error: null })),
    createdAt,
    startedAt: null,
    finishedAt: null,
    error: null,
    simulated: true,
  };
}

describe('Jobs panel (real editor, real scheduler, simulated VRAM)', () => {
  let work: WorkDir;
  let editor: EditorProcess;
  let browser: Browser;
  let ed: EditorPage;
  captureFailures('jobs', () => ed?.page);

  beforeAll(async () => {
    ensureBuilt();
    work = await makeWorkDir('jobs');
    const store = createFileJobStore(join(work.dataDir, JOBS_DIR));
    const t0 = Date.now();
    // The real embedded stages write into existing folders only (the simulated ones make theirs).
    const out = (name: string) => join(work.files, name);
    await Promise.all(['ad', 'cancel', 'erase'].map((d) => mkdir(out(d), { recursive: true })));
    await store.save(queued(AD, productAdJob({ title: '상품 광고 — 바나나', product: fixture('product-banana.png'), workDir: out('ad') }), t0));
    await store.save(queued(CANCEL, productAdJob({ title: '상품 광고 — 취소할 작업', product: fixture('product-banana.png'), workDir: out('cancel') }), t0 + 1));
    await store.save(queued(ERASE, eraseTextJob({ title: '글자 지우기 — 사과 광고', image: fixture('ad-apples-korean-text.png'), workDir: out('erase') }), t0 + 2));
    await store.flush();

    // The editor process inherits this file's environment (each test file runs in its own worker).
    process.env.ADSTUDIO_SIMULATE_VRAM_GB = '22';
    try {
      [editor, browser] = await Promise.all([startEditor({ dataDir: work.dataDir, projectsDir: work.projectsDir }), launchChromium()]);
    } finally {
      delete process.env.ADSTUDIO_SIMULATE_VRAM_GB;
    }
    expect(editor.stderr()).toMatch(/SIMULATED GPU for the Jobs panel: 22 GB VRAM budget/);
    ed = await openEditorPage(browser, editor, { locale: 'en-US' });
    await ed.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: editor.origin });
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await editor?.stop();
    if (process.env.ADSTUDIO_E2E_KEEP !== '1') await work?.remove();
  });

  it('opens from the top bar: jobs in progress with per-stage steps, progress, ETA, and the SIMULATED VRAM bar with resident models', async () => {
    const { page } = ed;
    // The top-bar button counts the jobs in progress even while the panel is closed.
    await expect.poll(() => page.getByTestId('jobs-active-count').innerText().catch(() => ''), { timeout: 15_000 }).toMatch(/^[1-3]$/);
    await page.getByTestId('open-jobs').click();
    const panel = page.getByTestId('jobs-panel');
    await panel.waitFor();
    expect(await page.getByTestId('open-jobs').getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('vram-simulated').innerText()).toBe('SIMULATED');
    expect(await page.getByTestId('vram').innerText()).toContain('Engine: simulated-gpu');

    // FLUX's background: 25 steps, shown as they run, with the job's overall progress and time left.
    const bg = page.getByTestId(`job-stage-${AD}-background`);
    await expect.poll(() => bg.getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => bg.innerText(), { timeout: 15_000 }).toMatch(/Background\s+flux-dev\s+step \d+\/25\s+running/);
    const bar = page.getByTestId(`job-progress-${AD}`);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await page.getByTestId(`job-eta-${AD}`).innerText()).toMatch(/left|estimating/);
    expect(await page.getByTestId(`job-stage-${AD}-cutout`).innerText()).toMatch(/Cut out\s+birefnet[\s\S]*done/);

    // FLUX is resident now: a segment on the bar, named with its size in the legend.
    await page.getByTestId('vram-seg-flux-dev').waitFor();
    expect(await page.getByTestId('vram-model-flux-dev').innerText()).toMatch(/FLUX[\s\S]*11\.0 GB/);
    const meter = page.getByTestId('vram-bar');
    expect(await meter.getAttribute('role')).toBe('meter');
    expect(Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(11 * 1024);
    expect(await page.getByTestId('vram-usage').innerText()).toMatch(/GB used · 22\.0 GB budget · 24\.0 GB card/);
    await snap(page, 'jobs-01-running');
  });

  it('Cancel stops a job; it moves to the history as cancelled, with Retry', async () => {
    const { page } = ed;
    const cancel = page.getByTestId(`job-cancel-${CANCEL}`);
    await cancel.click();
    const status = page.getByTestId('jobs-history').getByTestId(`job-status-${CANCEL}`);
    await status.waitFor({ timeout: 20_000 });
    expect(await status.innerText()).toBe('Cancelled');
    expect(await page.getByTestId(`job-${CANCEL}`).innerText()).toContain('Press Retry to run it again');
    await page.getByTestId(`job-retry-${CANCEL}`).waitFor();
    // Nothing of the cancelled job's last stages was written.
    expect(existsSync(join(work.files, 'cancel', 'ad.png'))).toBe(false);
  });

  it('finished jobs show their duration and result files with a copy-path action', async () => {
    const { page } = ed;
    const history = page.getByTestId('jobs-history');
    for (const id of [AD, ERASE]) {
      const status = history.getByTestId(`job-status-${id}`);
      await status.waitFor({ timeout: 120_000 });
      expect(await status.innerText()).toBe('Done');
      expect(await page.getByTestId(`job-duration-${id}`).innerText()).toMatch(/^took \d+( min \d+)? s$/);
    }
    const ad = page.getByTestId(`job-${AD}`);
    const paths = await ad.getByTestId('job-result-path').allInnerTexts();
    const final = join(work.files, 'ad', 'ad.png');
    // The finished picture first, then what the earlier stages wrote; every file is really there.
    expect(paths[0]).toBe(final);
    expect(paths).toEqual(expect.arrayContaining([join(work.files, 'ad', 'cutout.png'), join(work.files, 'ad', 'background.png')]));
    for (const p of paths) expect(existsSync(p), p).toBe(true);
    // The real erase wrote a real picture (detection and erasing are not simulated).
    expect(existsSync(join(work.files, 'erase', 'erased.png'))).toBe(true);

    const copy = ad.getByTestId('job-copy-path').first();
    await copy.click();
    await expect.poll(() => copy.innerText()).toContain('Copied');
    // The page's own clipboard (Node's typecheck has no DOM: reach it through globalThis).
    const read = () => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText();
    expect(await page.evaluate(read)).toBe(final);
    expect(await page.getByTestId('jobs-active-none').innerText()).toBe('No job is running.');
    await snap(page, 'jobs-02-history');
  });

  it('Retry runs the cancelled job again as a new job, to done; the models stay warm on the bar', async () => {
    const { page } = ed;
    const before = await page.getByTestId('jobs-history').locator('[data-testid^="job-status-"]').count();
    await page.getByTestId(`job-retry-${CANCEL}`).click();
    // A new job (new id) with the same title runs and ends up in the history too.
    const again = page.getByTestId('jobs-history').locator('li.job', { hasText: '상품 광고 — 취소할 작업' });
    await expect.poll(() => again.count(), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => again.first().getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('jobs-history').locator('[data-testid^="job-status-"]').count()).toBe(before + 1);
    expect(await page.getByTestId('vram-model-flux-dev').isVisible()).toBe(true);
  });

  it('closes with Escape, back on the button; speaks Korean in a Korean browser', async () => {
    const { page } = ed;
    await page.getByTestId('jobs-close').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('jobs-panel').waitFor({ state: 'hidden' });
    const focused = () => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid');
    expect(await page.evaluate(focused)).toBe('open-jobs');

    const ko = await openEditorPage(browser, editor, { locale: 'ko-KR' });
    try {
      const p = ko.page;
      await p.getByTestId('open-jobs').click();
      await p.getByTestId('jobs-panel').waitFor();
      expect(await p.getByTestId('vram-simulated').innerText()).toBe('시뮬레이션 (SIMULATED)');
      expect(await p.locator('#jobs-panel-title').innerText()).toBe('작업');
      expect(await p.getByTestId(`job-status-${AD}`).innerText()).toBe('완료');
      expect(await p.getByTestId(`job-${AD}`).innerText()).toContain('걸린 시간');
      await snap(p, 'jobs-03-ko');
      expect(ko.errors).toEqual([]);
    } finally {
      await ko.context.close();
    }
    expect(ed.errors).toEqual([]);
  });
});

describe('Jobs panel without a scheduler (the plain editor)', () => {
  let h: Harness;
  let ed: EditorPage;
  captureFailures('jobs-cpu', () => ed?.page);

  beforeAll(async () => {
    h = await startHarness('jobs-cpu');
    ed = await openEditorPage(h.browser, h.editor, { locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('says CPU only (embedded engine) instead of drawing a VRAM bar, and that there are no jobs', async () => {
    const { page } = ed;
    expect(h.editor.stderr()).not.toMatch(/SIMULATED/);
    // Keyboard only: focus the button, open with Enter; focus lands in the panel.
    await page.getByTestId('open-jobs').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('jobs-panel').waitFor();
    expect(await page.getByTestId('vram-cpu-only').innerText()).toBe('CPU only (embedded engine)');
    expect(await page.getByTestId('vram-simulated').count()).toBe(0);
    expect(await page.getByTestId('vram-bar').count()).toBe(0);
    expect(await page.getByTestId('jobs-active-none').innerText()).toBe('No job is running.');
    expect(await page.getByTestId('jobs-panel').innerText()).toContain('No finished jobs yet.');
    expect(await page.getByTestId('jobs-active-count').count()).toBe(0);
    await snap(page, 'jobs-04-cpu-only');
    expect(ed.errors).toEqual([]);
  });
});
