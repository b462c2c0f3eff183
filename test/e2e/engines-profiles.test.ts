import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, openEditorPage, snap, type EditorPage } from './support/editor-page.js';
import { freePort, inspectContainer, startEngineHarness, type EngineHarness } from './support/engine-containers.js';

/**
 * Test double of an adstudio engine, run with node inside a real container of the local base image:
 * GET /health, and GET /v1/memory shaped like `adstudio serve --simulate-vram` (a 24 GB card, a 22 GB
 * budget, FLUX resident), answered only with the token adstudio handed the container (ADSTUDIO_TOKEN).
 */
const VRAM_DOUBLE = `
const http = require('http');
const [host, port] = process.argv.slice(1);
const token = process.env.ADSTUDIO_TOKEN;
http.createServer((req, res) => {
  const json = (code, body) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (req.url === '/health') return json(200, { status: 'healthy', engine: 'vram-test-double' });
  if (req.url === '/v1/memory') {
    if (!token || req.headers.authorization !== 'Bearer ' + token) return json(401, { error: { code: 'unauthorized', message: 'bad token' } });
    return json(200, { gpu: { device: 'gpu', totalMb: 24576, usedMb: 9216, budgetMb: 22528, simulated: true }, resident: [{ id: 'flux-dev', label: 'FLUX.1-dev', device: 'gpu', footprintMb: 8192 }], simulated: true });
  }
  json(404, {});
}).listen(Number(port), host);
process.on('SIGTERM', () => process.exit(0));
`;

const VRAM_PROFILE = 'e2e-vram';
/** Runs in the page (this file is typed for Node, not the DOM): an attribute of the focused element. */
const focusedAttr = (name: string) => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute(name) ?? null;
const VRAM_CONTAINER = `adstudio-${VRAM_PROFILE}`;

/**
 * Custom engine profiles through the Engines panel: added with the form (field checks in English
 * and Korean, keyboard only), listed, edited and deleted, each change in engines.json; and the VRAM
 * bar of a running engine — a real container started from the panel, read with its real token.
 */
describe('Engines panel: custom profiles and the VRAM bar (real editor server, real Chromium, real Docker daemon)', () => {
  let h: EngineHarness;
  let ed: EditorPage;
  captureFailures('engines-profiles', () => ed?.page);

  const onDisk = async () => JSON.parse(await readFile(h.enginesJson, 'utf8')) as { customProfiles: Record<string, unknown>[]; onQuit?: string };
  const state = (profile: string) => ed.page.getByTestId(`engine-state-${profile}`).getAttribute('data-state');

  beforeAll(async () => {
    // The engine double runs in the local base image (node only); engines.json is written by hand
    // before the editor starts, as a person would: `command` is not in the form.
    h = await startEngineHarness('engines-profiles', {
      containers: [VRAM_CONTAINER],
      engines: async (baseImage) => ({
        onQuit: 'leave-running',
        customProfiles: [
          {
            name: VRAM_PROFILE,
            title: 'VRAM test double',
            image: baseImage,
            protocol: 'adstudio-v1',
            port: 8080,
            hostPort: await freePort(),
            command: ['/usr/local/bin/node', '-e', VRAM_DOUBLE, '{host}', '{port}'],
            healthTimeoutSec: 60,
          },
        ],
      }),
    });
    ed = await openEditorPage(h.browser, h.editor, { locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('"Add engine" checks each field where it is, then adds the engine by keyboard; it is listed and written to engines.json', async () => {
    const { page } = ed;
    await page.getByTestId('open-engines').click();
    await page.getByTestId('engines-panel').waitFor();
    await page.getByTestId(`engine-row-${VRAM_PROFILE}`).waitFor();
    await page.getByTestId('engine-add').click();
    await page.getByTestId('engine-profile-form').waitFor();
    // The name field has the focus; submitting the empty form by Enter shows what is missing and keeps the focus there.
    expect(await page.evaluate(focusedAttr, 'name')).toBe('name');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('engine-form-error-name').innerText()).toBe('Required.');
    expect(await page.getByTestId('engine-form-error-image').innerText()).toBe('Required.');
    expect(await page.getByTestId('engine-form-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(focusedAttr, 'name')).toBe('name');

    await page.keyboard.type('nanococoa');
    await page.getByTestId('engine-form-image').fill('team/upscaler:1');
    await page.getByTestId('engine-form-port').fill('99999');
    await page.getByTestId('engine-form-env').fill('MODE=fast\nBAD KEY=1');
    await page.getByTestId('engine-form-image').press('Enter');
    expect(await page.getByTestId('engine-form-error-name').innerText()).toBe('"nanococoa" is the name of a built-in engine; choose another name.');
    expect(await page.getByTestId('engine-form-error-port').innerText()).toBe('A whole number from 1 to 65535.');
    expect(await page.getByTestId('engine-form-error-env').innerText()).toBe('Line 2: write KEY=VALUE, or KEY alone (letters, digits and _).');
    await snap(page, 'engines-profiles-01-form-errors');

    await page.getByTestId('engine-form-name').fill('e2e-upscaler');
    await page.getByTestId('engine-form-port').fill('7000');
    await page.getByTestId('engine-form-env').fill('MODE=fast\nHF_TOKEN');
    await page.getByTestId('engine-form-minFreeDiskGb').fill('5');
    await page.getByTestId('engine-form-healthTimeoutSec').fill('900');
    await page.getByTestId('engine-form-gpu').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('engine-form-healthTimeoutSec').press('Enter');

    await page.getByTestId('engines-panel').waitFor();
    await page.getByTestId('engine-row-e2e-upscaler').waitFor();
    expect(await page.getByTestId('engines-notice').innerText()).toBe('The e2e-upscaler engine was saved.');
    expect(await state('e2e-upscaler')).toBe('absent');
    expect(await page.getByTestId('engine-row-e2e-upscaler').innerText()).toContain('team/upscaler:1');
    const file = await onDisk();
    expect(file.onQuit).toBe('leave-running');
    expect(file.customProfiles.map((p) => p.name)).toEqual([VRAM_PROFILE, 'e2e-upscaler']);
    expect(file.customProfiles[1]).toEqual({ name: 'e2e-upscaler', image: 'team/upscaler:1', protocol: 'adstudio-v1', port: 7000, healthPath: '/health', env: { MODE: 'fast' }, passEnv: ['HF_TOKEN'], gpu: true, minFreeDiskGb: 5, healthTimeoutSec: 900 });
    // The hand-written profile is untouched (its command too).
    expect(file.customProfiles[0]!.command).toEqual(expect.arrayContaining(['{host}', '{port}']));
    // Environment values stay out of the editor's log.
    expect(h.editor.stderr()).toContain('added the custom engine "e2e-upscaler"');
    expect(h.editor.stderr()).not.toContain('MODE=fast');
    await snap(page, 'engines-profiles-02-added');
  });

  it('Edit opens the form filled in; a change is saved and shown; built-in rows offer no Edit or Delete', async () => {
    const { page } = ed;
    expect(await page.getByTestId('engine-edit-nanococoa').count()).toBe(0);
    expect(await page.getByTestId('engine-delete-adstudio-engine').count()).toBe(0);
    await page.getByTestId('engine-edit-e2e-upscaler').click();
    await page.getByTestId('engine-profile-form').waitFor();
    expect(await page.getByTestId('engine-form-name').isDisabled()).toBe(true);
    expect(await page.getByTestId('engine-form-image').inputValue()).toBe('team/upscaler:1');
    expect(await page.getByTestId('engine-form-env').inputValue()).toBe('MODE=fast\nHF_TOKEN');
    expect(await page.getByTestId('engine-form-gpu').isChecked()).toBe(true);
    await page.getByTestId('engine-form-title').fill('Upscaler');
    await page.getByTestId('engine-form-image').fill('team/upscaler:2');
    await page.getByTestId('engine-form-submit').click();
    await page.getByTestId('engines-panel').waitFor();
    expect(await page.getByTestId('engines-notice').innerText()).toBe('The e2e-upscaler engine was saved.');
    const row = page.getByTestId('engine-row-e2e-upscaler');
    expect(await row.innerText()).toContain('Upscaler');
    expect(await row.innerText()).toContain('team/upscaler:2');
    expect((await onDisk()).customProfiles[1]).toMatchObject({ title: 'Upscaler', image: 'team/upscaler:2', env: { MODE: 'fast' } });
  });

  it('Delete asks first (focus on "Keep it"), then removes the row and the profile from engines.json', async () => {
    const { page } = ed;
    await page.getByTestId('engine-delete-e2e-upscaler').click();
    await page.getByTestId('engine-delete-confirm-e2e-upscaler').waitFor();
    expect(await page.evaluate(focusedAttr, 'data-testid')).toBe('engine-delete-no-e2e-upscaler');
    await page.keyboard.press('Enter');
    await page.getByTestId('engine-delete-confirm-e2e-upscaler').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('engine-row-e2e-upscaler').count()).toBe(1);

    await page.getByTestId('engine-delete-e2e-upscaler').click();
    await page.getByTestId('engine-delete-yes-e2e-upscaler').click();
    await page.getByTestId('engine-row-e2e-upscaler').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('engines-notice').innerText()).toBe('The e2e-upscaler engine was deleted.');
    expect((await onDisk()).customProfiles.map((p) => p.name)).toEqual([VRAM_PROFILE]);
  });

  it('a running engine shows its VRAM with the Jobs panel\'s bar: SIMULATED, the budget, the resident model — read with its token', async () => {
    const { page } = ed;
    expect(await state(VRAM_PROFILE)).toBe('absent');
    await page.getByTestId(`engine-start-${VRAM_PROFILE}`).click();
    await expect.poll(() => state(VRAM_PROFILE), { timeout: 90_000, interval: 500 }).toBe('healthy');
    const vram = page.getByTestId(`engine-vram-${VRAM_PROFILE}`);
    await vram.getByTestId('vram-bar').waitFor({ timeout: 15_000 });
    expect(await vram.getByTestId('vram-simulated').innerText()).toBe('SIMULATED');
    expect(await vram.getByTestId('vram-bar').getAttribute('aria-valuenow')).toBe('9216');
    expect(await vram.getByTestId('vram-usage').innerText()).toBe('9.0 GB used · 22.0 GB budget · 24.0 GB card');
    expect(await vram.getByTestId('vram-model-flux-dev').innerText()).toContain('FLUX.1-dev');
    await snap(page, 'engines-profiles-03-vram');
  });

  it('Restart, Stop and Remove in the row act on the real container and the badge follows; Start brings it back', async () => {
    const { page } = ed;
    const inspect = () => inspectContainer(h.docker, VRAM_CONTAINER);
    const before = await inspect();
    expect(before?.State.Running).toBe(true);
    expect(await page.getByTestId(`engine-start-${VRAM_PROFILE}`).isDisabled()).toBe(true);

    await page.getByTestId(`engine-restart-${VRAM_PROFILE}`).click();
    // Done when the row is idle again (the buttons come back) and healthy.
    await expect.poll(async () => (await page.getByTestId(`engine-restart-${VRAM_PROFILE}`).isEnabled()) && (await state(VRAM_PROFILE)), { timeout: 90_000, interval: 250 }).toBe('healthy');
    const restarted = await inspect();
    // The same container (restart keeps it), started again.
    expect(restarted?.Id).toBe(before!.Id);
    expect(Date.parse(restarted!.State.StartedAt)).toBeGreaterThan(Date.parse(before!.State.StartedAt));
    expect(restarted?.State.Running).toBe(true);

    await page.getByTestId(`engine-stop-${VRAM_PROFILE}`).click();
    await expect.poll(() => state(VRAM_PROFILE), { timeout: 60_000, interval: 250 }).toBe('stopped');
    expect(await page.getByTestId(`engine-state-${VRAM_PROFILE}`).innerText()).toBe('Stopped');
    const stopped = await inspect();
    expect(stopped?.Id).toBe(before!.Id);
    expect(stopped?.State.Running).toBe(false);
    // Stopped: Start is offered, Stop and Restart are not; no VRAM bar for an engine that is not running.
    expect(await page.getByTestId(`engine-start-${VRAM_PROFILE}`).isEnabled()).toBe(true);
    expect(await page.getByTestId(`engine-stop-${VRAM_PROFILE}`).isDisabled()).toBe(true);
    expect(await page.getByTestId(`engine-restart-${VRAM_PROFILE}`).isDisabled()).toBe(true);
    expect(await page.getByTestId(`engine-vram-${VRAM_PROFILE}`).getByTestId('vram-bar').count()).toBe(0);
    await snap(page, 'engines-profiles-03b-stopped');

    // Remove asks first (focus on keeping it); then the container is gone — Docker agrees — and the row says so.
    await page.getByTestId(`engine-remove-${VRAM_PROFILE}`).click();
    await page.getByTestId(`engine-remove-confirm-${VRAM_PROFILE}`).waitFor();
    expect(await page.evaluate(focusedAttr, 'data-testid')).toBe(`engine-remove-no-${VRAM_PROFILE}`);
    await page.getByTestId(`engine-remove-yes-${VRAM_PROFILE}`).click();
    await expect.poll(() => state(VRAM_PROFILE), { timeout: 60_000, interval: 250 }).toBe('absent');
    expect(await inspect()).toBeNull();
    await snap(page, 'engines-profiles-03c-removed');

    // Start makes a fresh container from the image that was kept.
    await page.getByTestId(`engine-start-${VRAM_PROFILE}`).click();
    await expect.poll(() => state(VRAM_PROFILE), { timeout: 90_000, interval: 250 }).toBe('healthy');
    expect((await inspect())?.Id).not.toBe(before!.Id);
  });

  it('deleting the profile of a running engine leaves its container running and says how to stop it', async () => {
    const { page } = ed;
    await page.getByTestId(`engine-delete-${VRAM_PROFILE}`).click();
    await page.getByTestId(`engine-delete-yes-${VRAM_PROFILE}`).click();
    await page.getByTestId(`engine-row-${VRAM_PROFILE}`).waitFor({ state: 'hidden' });
    expect(await page.getByTestId('engines-notice').innerText()).toBe(
      `The ${VRAM_PROFILE} engine was deleted. Its container ${VRAM_CONTAINER} keeps running; to stop it: docker stop ${VRAM_CONTAINER}`,
    );
    const still = (await h.docker.listContainers()).filter((c) => c.Names.includes(`/${VRAM_CONTAINER}`));
    expect(still.map((c) => c.State)).toEqual(['running']);
    expect((await onDisk()).customProfiles).toEqual([]);
    await snap(page, 'engines-profiles-04-deleted-running');
    expect(ed.errors).toEqual([]);
  });

  it('speaks Korean in a Korean browser: the form\'s checks too', async () => {
    const ko = await openEditorPage(h.browser, h.editor, { locale: 'ko-KR' });
    try {
      const { page } = ko;
      await page.getByTestId('open-engines').click();
      await page.getByTestId('engine-add').click();
      await page.getByTestId('engine-profile-form').waitFor();
      await page.getByTestId('engine-form-name').fill('adstudio-engine');
      await page.getByTestId('engine-form-healthPath').fill('health');
      await page.getByTestId('engine-form-submit').click();
      expect(await page.getByTestId('engine-form-error-name').innerText()).toBe('"adstudio-engine"은(는) 기본 엔진의 이름입니다. 다른 이름을 고르세요.');
      expect(await page.getByTestId('engine-form-error-image').innerText()).toBe('꼭 적어야 합니다.');
      expect(await page.getByTestId('engine-form-error-healthPath').innerText()).toBe('"/"로 시작해야 합니다.');
      await snap(page, 'engines-profiles-05-ko');
      // Escape leaves the form without saving.
      await page.keyboard.press('Escape');
      await page.getByTestId('engines-panel').waitFor();
      expect((await onDisk()).customProfiles).toEqual([]);
    } finally {
      await ko.context.close();
    }
  });
});
