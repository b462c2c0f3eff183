import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, openEditorPage, snap, type EditorPage } from './support/editor-page.js';
import { freePort, inspectContainer, startEngineHarness, type EngineHarness } from './support/engine-containers.js';

/**
 * A TEST DOUBLE of the nanoCocoa server's health and reset routes only (no jobs, no models), run with
 * node inside a real container of the local base image: GET /health says healthy and how many resets
 * it has had; POST /server-reset counts one. It proves the panel's Reset reaches a real container's
 * server through the manager, not how the real server resets.
 */
const NANO_DOUBLE = `
const http = require('http');
const [host, port] = process.argv.slice(1);
let resets = 0;
http.createServer((req, res) => {
  const json = (code, body) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (req.method === 'GET' && req.url === '/health') return json(200, { status: 'healthy', active_jobs: 0, total_jobs: 0, resets, system_metrics: { gpu_info: [] } });
  if (req.method === 'POST' && req.url === '/server-reset') { resets++; return json(200, { status: 'reset', message: 'cleared 0 jobs' }); }
  json(404, { detail: 'Not Found' });
}).listen(Number(port), host);
process.on('SIGTERM', () => process.exit(0));
`;

const NANO = 'e2e-nano';
const NANO_CONTAINER = `adstudio-${NANO}`;
/** Lines an earlier session left in the engine's log files (1500 rotated, 1500 current). */
const SEEDED = 3000;

/**
 * The Engines panel's full log viewer (the files on disk, earlier lines on request), the Reset of a
 * nanoCocoa engine (with its confirmation), and "When adstudio quits" — chosen in the panel and used
 * when the editor stops, without a restart. Real editor server, real Chromium, real Docker daemon.
 */
describe('Engines panel: full logs, nanoCocoa reset, what happens at quit (real editor, real Docker daemon)', () => {
  let h: EngineHarness;
  let ed: EditorPage;
  let hostPort: number;
  captureFailures('engines-ops', () => ed?.page);
  const state = () => ed.page.getByTestId(`engine-state-${NANO}`).getAttribute('data-state');

  beforeAll(async () => {
    hostPort = await freePort();
    h = await startEngineHarness('engines-ops', {
      containers: [NANO_CONTAINER],
      engines: (baseImage) => ({
        customProfiles: [
          { name: NANO, title: 'nanoCocoa test double', image: baseImage, protocol: 'nanococoa', port: 8000, hostPort, command: ['/usr/local/bin/node', '-e', NANO_DOUBLE, '{host}', '{port}'], healthTimeoutSec: 60 },
        ],
      }),
      // An earlier session's log, rotated once: more lines than the viewer's first page.
      prepare: async (work) => {
        const logs = join(work.dataDir, 'logs');
        await mkdir(logs, { recursive: true });
        const t0 = Date.parse('2025-06-01T09:00:00.000Z');
        const line = (i: number) => `${new Date(t0 + i * 1000).toISOString()} stdout earlier session line ${i}\n`;
        await writeFile(join(logs, `engine-${NANO}.log.1`), Array.from({ length: SEEDED / 2 }, (_, i) => line(i)).join(''));
        await writeFile(join(logs, `engine-${NANO}.log`), Array.from({ length: SEEDED / 2 }, (_, i) => line(SEEDED / 2 + i)).join(''));
      },
    });
    ed = await openEditorPage(h.browser, h.editor, { locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the log viewer shows the last 2000 lines from the files on disk, and loads the earlier ones on request', async () => {
    const { page } = ed;
    await page.getByTestId('open-engines').click();
    await page.getByTestId(`engine-row-${NANO}`).waitFor();
    await page.getByTestId(`engine-logs-${NANO}`).click();
    await page.getByTestId('engine-log-dialog').waitFor();
    const count = page.getByTestId('engine-log-count');
    await count.waitFor();
    expect(await count.innerText()).toBe('Last 2000 lines');
    const pre = page.getByTestId('engine-log-lines');
    const lines = () => pre.innerText();
    // Runs in the page (this file is typed for Node, not the DOM).
    const metrics = () => pre.evaluate((el) => {
      const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
      return { top: e.scrollTop, fromEnd: e.scrollHeight - e.scrollTop - e.clientHeight };
    });
    const first = await lines();
    expect(first.split('\n')[0]).toMatch(/earlier session line 1000$/);
    expect(first.split('\n').at(-1)).toMatch(/earlier session line 2999$/);
    // It opens at the newest line.
    expect((await metrics()).fromEnd).toBeLessThan(5);
    await snap(page, 'engines-ops-01-log-2000');
    // Scrolled to the top (line 1000), earlier lines load above it: line 1000 stays where it was.
    await pre.evaluate((el) => void ((el as unknown as { scrollTop: number }).scrollTop = 0));
    await expect.poll(async () => (await metrics()).top).toBe(0);

    await page.getByTestId('engine-log-more').click();
    await expect.poll(() => count.getAttribute('data-count')).toBe(String(SEEDED));
    const all = await lines();
    expect(all.split('\n')[0]).toMatch(/earlier session line 0$/);
    expect(all.split('\n')).toHaveLength(SEEDED);
    const lineHeight = (await pre.evaluate((el) => (el as unknown as { scrollHeight: number }).scrollHeight)) / SEEDED;
    expect(Math.round((await metrics()).top / lineHeight)).toBe(1000);
    await snap(page, 'engines-ops-01b-log-earlier');
    // Nothing older is left: no button.
    expect(await page.getByTestId('engine-log-more').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('engines-panel').waitFor();
  });

  it('Reset is offered on the running nanoCocoa engine; it asks first, and "Reset it" resets its server', async () => {
    const { page } = ed;
    expect(await page.getByTestId(`engine-reset-${NANO}`).count()).toBe(0);
    await page.getByTestId(`engine-start-${NANO}`).click();
    await expect.poll(state, { timeout: 90_000, interval: 250 }).toBe('healthy');
    const resets = async () => ((await (await fetch(`http://127.0.0.1:${hostPort}/health`)).json()) as { resets: number }).resets;

    await page.getByTestId(`engine-reset-${NANO}`).click();
    const confirm = page.getByTestId(`engine-reset-confirm-${NANO}`);
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Reset the nanoCocoa test double server? Every job running on it stops');
    await snap(page, 'engines-ops-02-reset-confirm');
    // Focus is on the safe choice: Enter keeps it running as it was.
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    expect(await resets()).toBe(0);

    await page.getByTestId(`engine-reset-${NANO}`).click();
    await page.getByTestId(`engine-reset-yes-${NANO}`).click();
    await expect.poll(resets, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId(`engine-tail-${NANO}`).innerText()).toMatch(/reset the nanoCocoa server at http:\/\/127\.0\.0\.1:\d+ \(POST \/server-reset\)/);
    // The note is the row's newest line, scrolled into sight in its short log box.
    const tail = page.getByTestId(`engine-tail-${NANO}`);
    expect(await tail.evaluate((el) => {
      const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
      return e.scrollHeight - e.scrollTop - e.clientHeight;
    })).toBeLessThan(5);
    await snap(page, 'engines-ops-02b-reset-done');
    expect(await state()).toBe('healthy');
    expect(ed.errors).toEqual([]);
  });

  it('"When adstudio quits: stop them" is saved to engines.json and used when the editor stops, without a restart', async () => {
    const { page } = ed;
    const select = page.getByTestId('engine-on-quit');
    expect(await select.inputValue()).toBe('leave-running');
    await select.selectOption('stop');
    await expect.poll(async () => (JSON.parse(await readFile(h.enginesJson, 'utf8')) as { onQuit?: string }).onQuit).toBe('stop');
    // The rest of the file is as it was written.
    expect((JSON.parse(await readFile(h.enginesJson, 'utf8')) as { customProfiles: { name: string }[] }).customProfiles.map((p) => p.name)).toEqual([NANO]);
    await select.scrollIntoViewIfNeeded();
    await snap(page, 'engines-ops-03-on-quit');

    // Another window sees the saved choice.
    const ko = await openEditorPage(h.browser, h.editor, { locale: 'ko-KR' });
    try {
      await ko.page.getByTestId('open-engines').click();
      const other = ko.page.getByTestId('engine-on-quit');
      await expect.poll(() => other.inputValue()).toBe('stop');
      expect(await ko.page.getByTestId('engine-on-quit-setting').innerText()).toContain('adstudio를 끝낼 때');
    } finally {
      await ko.context.close();
    }

    expect((await inspectContainer(h.docker, NANO_CONTAINER))?.State.Running).toBe(true);
    expect(await h.editor.stop()).toBe(0);
    const after = await inspectContainer(h.docker, NANO_CONTAINER);
    expect(after?.State.Running).toBe(false);
    expect(h.editor.stderr()).toContain('when adstudio quits, engines it started are stopped');
  });
});
