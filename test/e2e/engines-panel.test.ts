import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, openEditorPage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';

/**
 * The Engines panel against the real Docker daemon of this machine: honest states for the built-in
 * profiles, and starting the GPU profile where there is no NVIDIA runtime ends in the plain
 * explanation plus the way back to the embedded engine.
 */
describe('Engines panel (real editor server, real Docker daemon)', () => {
  let h: Harness;
  let ed: EditorPage;
  captureFailures('engines', () => ed?.page);

  beforeAll(async () => {
    h = await startHarness('engines');
    ed = await openEditorPage(h.browser, h.editor, { locale: 'en-US' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens from the status bar and shows adstudio-engine and nanococoa with real states', async () => {
    const { page } = ed;
    await page.getByTestId('open-engines').click();
    await page.getByTestId('engines-panel').waitFor();
    for (const p of ['adstudio-engine', 'nanococoa']) await page.getByTestId(`engine-row-${p}`).waitFor();
    // Once the list arrived, each badge carries a state the manager reported (not a placeholder).
    const states = await Promise.all(['adstudio-engine', 'nanococoa'].map((p) => page.getByTestId(`engine-state-${p}`).getAttribute('data-state')));
    for (const s of states) expect(['absent', 'created', 'starting', 'healthy', 'stopped', 'error']).toContain(s);
    // No VRAM numbers are invented for the GPU profile.
    expect(await page.getByTestId('engine-vram-nanococoa').innerText()).toBe('VRAM: shown while the engine runs');
    await snap(page, 'engines-01-panel');
  });

  it('starting nanococoa without the NVIDIA runtime ends in the plain message and the embedded-engine offer', async () => {
    const { page } = ed;
    await page.getByTestId('engine-start-nanococoa').click();
    const error = page.getByTestId('engine-error-nanococoa');
    await error.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('engine-state-nanococoa').getAttribute('data-state')).toBe('error');
    const text = await error.innerText();
    expect(text).toMatch(/NVIDIA/);
    expect(text).toMatch(/What to do:/);
    await snap(page, 'engines-02-no-gpu');
    await page.getByTestId('engine-use-embedded-nanococoa').click();
    await page.getByTestId('engines-panel').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('open-engines').innerText()).toContain('embedded engine');
    expect(ed.errors).toEqual([]);
  });

  it('the log viewer shows what adstudio noted about the failed start', async () => {
    const { page } = ed;
    await page.getByTestId('open-engines').click();
    await page.getByTestId('engine-logs-nanococoa').click();
    await page.getByTestId('engine-log-dialog').waitFor();
    await expect.poll(() => page.getByTestId('engine-log-lines').innerText(), { timeout: 10_000 }).toMatch(/NVIDIA/);
    await snap(page, 'engines-03-logs');
  });

  it('speaks Korean in a Korean browser, from the View menu too', async () => {
    const ko = await openEditorPage(h.browser, h.editor, { locale: 'ko-KR' });
    try {
      const { page } = ko;
      await page.getByTestId('menu-view').click();
      await page.getByTestId('menuitem-engines').click();
      await page.getByTestId('engines-panel').waitFor();
      expect(await page.getByTestId('open-engines').innerText()).toBe('엔진');
      // Opening the panel looks at Docker afresh: the failed start left no container, so "none".
      await expect.poll(() => page.getByTestId('engine-state-nanococoa').getAttribute('data-state')).toBe('absent');
      expect(await page.getByTestId('engine-state-nanococoa').innerText()).toBe('없음');
      expect(await page.getByTestId('engine-start-nanococoa').innerText()).toBe('시작');
      await snap(page, 'engines-04-ko');
    } finally {
      await ko.context.close();
    }
  });
});
