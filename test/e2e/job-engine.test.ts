import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFailures,
  drag,
  fixture,
  imageAsset,
  openEditorPage,
  openImage,
  REPO,
  snap,
  waitForUndoCount,
  type EditorPage,
} from './support/editor-page.js';
import { freePort, startEngineHarness, type EngineHarness } from './support/engine-containers.js';

const PROFILE = 'e2e-serve';
const CONTAINER = `adstudio-${PROFILE}`;
/** The apples ad's headline (image pixels), as in the erase-flow test. */
const HEADLINE = { y: 98, x0: 430, x1: 595 };

/**
 * "Run jobs on" in the Engines panel, end to end: the real `adstudio serve` (this repository's build,
 * bound read-only-in-spirit at /app) runs in a real container of the local Node base image as a
 * custom adstudio-protocol profile; the person chooses it, starts it from the panel, and the editor's
 * Erase then runs inside that container — the Jobs panel and the status bar say where.
 */
describe('Run jobs on a container engine (real editor, real Chromium, real Docker daemon)', () => {
  let h: EngineHarness;
  let ed: EditorPage;
  captureFailures('job-engine', () => ed?.page);

  beforeAll(async () => {
    h = await startEngineHarness('job-engine', {
      containers: [CONTAINER],
      engines: async (baseImage) => ({
        customProfiles: [
          {
            name: PROFILE,
            title: 'Test engine (adstudio serve)',
            image: baseImage,
            protocol: 'adstudio-v1',
            port: 8080,
            hostPort: await freePort(),
            // The repository's own build of `adstudio serve`, mounted where the engine image keeps it.
            volume: { hostPath: REPO, containerPath: '/app' },
            command: ['/usr/local/bin/node', '/app/dist/main/cli.mjs', 'serve', '--host', '{host}', '--port', '{port}'],
            healthTimeoutSec: 90,
          },
        ],
      }),
    });
    ed = await openEditorPage(h.browser, h.editor, { locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers the embedded engine and the adstudio-protocol profiles; a chosen engine that is not running leaves jobs on the embedded one, and says so', async () => {
    const { page } = ed;
    await page.getByTestId('open-engines').click();
    await page.getByTestId('job-engine').waitFor();
    expect(await page.getByTestId('job-engine-embedded').isChecked()).toBe(true);
    expect(await page.getByTestId('job-engine-status').innerText()).toBe('New jobs run on the embedded engine (CPU).');
    // The GPU profile speaks nanoCocoa: it is offered too; a generic profile would not be.
    for (const p of ['adstudio-engine', 'nanococoa', PROFILE]) await page.getByTestId(`job-engine-${p}`).waitFor();

    await page.getByTestId(`job-engine-${PROFILE}`).check();
    await expect.poll(() => page.getByTestId('job-engine-status').getAttribute('data-status')).toBe('waiting');
    expect(await page.getByTestId('job-engine-status').innerText()).toContain('Test engine (adstudio serve) is not running');
    await snap(page, 'job-engine-01-waiting');
  });

  it('starting it from the panel connects: the status line and the status bar say new jobs run there', async () => {
    const { page } = ed;
    await page.getByTestId(`engine-start-${PROFILE}`).click();
    await expect.poll(() => page.getByTestId(`engine-state-${PROFILE}`).getAttribute('data-state'), { timeout: 120_000 }).toBe('healthy');
    await expect.poll(() => page.getByTestId('job-engine-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('connected');
    expect(await page.getByTestId('job-engine-status').innerText()).toBe('New jobs run on Test engine (adstudio serve).');
    expect(await page.getByTestId('open-engines').innerText()).toBe('Engine: Test engine (adstudio serve)');
    await snap(page, 'job-engine-02-connected');
    await page.keyboard.press('Escape');
    await page.getByTestId('engines-panel').waitFor({ state: 'hidden' });
  });

  it("the editor's Erase runs in the container; the Jobs panel says on which engine", async () => {
    const { page } = ed;
    const opened = await openImage(page, fixture('ad-apples-korean-text.png'));
    await page.getByTestId('tool-brush').click();
    const pts = [];
    for (let x = HEADLINE.x0; x <= HEADLINE.x1; x += 15) pts.push({ x, y: HEADLINE.y });
    await drag(page, pts);
    await waitForUndoCount(page, 1);
    await page.getByTestId('erase').click();
    await page.getByTestId('compare-bar').waitFor({ state: 'visible', timeout: 90_000 });
    expect(await imageAsset(page)).not.toBe(opened.asset);

    await page.getByTestId('open-jobs').click();
    await page.getByTestId('jobs-panel').waitFor();
    const tag = page.getByTestId('jobs-history').locator('[data-testid^="job-engine-"]').first();
    await tag.waitFor();
    expect(await tag.innerText()).toBe(`on ${PROFILE}`);
    await snap(page, 'job-engine-03-jobs');
    expect(ed.errors).toEqual([]);
  });
});
