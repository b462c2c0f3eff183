import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFailures,
  drag,
  fixture,
  imageAsset,
  maskState,
  openEditorPage,
  openImage,
  snap,
  startHarness,
  waitForMaskAsset,
  waitForUndoCount,
  type EditorPage,
  type Harness,
  type MaskState,
  type OpenedImage,
} from './support/editor-page.js';
import { startEditor } from './support/editor-process.js';
import type { HookGlobal } from './support/hook-types.js';

/**
 * Save a project, keep working, lose the server to SIGKILL, start again on the same data: the
 * unsaved work comes back from the autosave, and the saved project still opens as it was saved.
 */
const PROJECT = 'e2e 사과 광고';

interface RecoveryFile {
  dirty: boolean;
  path: string | null;
  document: { records: Record<string, { type: string; props: { asset: string | null } }> };
}

function maskAssetOf(doc: RecoveryFile['document']): string | null {
  return Object.values(doc.records).find((r) => r.type === 'mask')?.props.asset ?? null;
}

describe('save, autosave, kill, recover, reopen', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('recovery', () => ui?.page);
  let opened: OpenedImage;
  let saved: MaskState;
  let unsaved: MaskState;
  const projectFile = () => join(h.work.projectsDir, `${PROJECT}.adstudio`);

  beforeAll(async () => {
    h = await startHarness('recovery');
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await ui?.context.close().catch(() => {});
    await h?.close();
  });

  it('the autosave interval is set in the settings dialog and persisted', async () => {
    const { page } = ui;
    await page.getByTestId('settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await page.getByTestId('autosave-seconds').fill('5');
    await snap(page, 'recovery-01-settings');
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-dialog').waitFor({ state: 'hidden' });
    await expect.poll(async () => JSON.parse(await readFile(join(h.work.dataDir, 'settings.json'), 'utf8').catch(() => '{}')).autosaveSeconds, { timeout: 5000 }).toBe(5);
  });

  it('Save writes the project (in-app name dialog) into the projects folder', async () => {
    const { page } = ui;
    opened = await openImage(page, fixture('ad-apples-korean-text.png'));
    await drag(page, [
      { x: 430, y: 98 },
      { x: 600, y: 98 },
    ]);
    await waitForUndoCount(page, 1);
    saved = await maskState(page);

    await page.getByTestId('save').click();
    await page.getByTestId('save-dialog').waitFor();
    await page.getByTestId('save-name').fill(PROJECT);
    await snap(page, 'recovery-02-save-dialog');
    await page.getByTestId('save-confirm').click();
    await page.getByTestId('save-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('notice-success').first().waitFor();
    await page.getByTestId('dirty-dot').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('document-title').innerText()).toContain(PROJECT);

    expect(existsSync(projectFile())).toBe(true);
    const zip = unzipSync(new Uint8Array(await readFile(projectFile())));
    const doc = JSON.parse(strFromU8(zip['document.json']!)) as RecoveryFile['document'];
    expect(maskAssetOf(doc)).toBe(saved.asset);
    expect(Object.keys(zip).filter((n) => n.startsWith('assets/')).sort()).toEqual([`assets/${opened.asset}.png`, `assets/${saved.asset}.png`].sort());
  });

  it('unsaved work reaches the autosave on disk within the interval', async () => {
    const { page } = ui;
    const before = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().lastAutosave);
    await drag(page, [
      { x: 380, y: 200 },
      { x: 650, y: 200 },
    ]);
    await waitForUndoCount(page, 2);
    unsaved = await maskState(page);
    expect(unsaved.asset).not.toBe(saved.asset);
    await page.getByTestId('dirty-dot').waitFor();

    // The autosave after this stroke (interval 5 s), shown in the status bar.
    await page.waitForFunction(
      (prev) => {
        const at = (globalThis as HookGlobal).__adstudioTest!.editor.session.get().lastAutosave;
        return at !== null && at !== prev;
      },
      before,
      { timeout: 15_000 },
    );
    await page.getByTestId('autosave-status').waitFor();
    const files = await readdir(join(h.work.dataDir, 'recovery'));
    const entries = await Promise.all(files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(h.work.dataDir, 'recovery', f), 'utf8')) as RecoveryFile));
    const mine = entries.find((e) => maskAssetOf(e.document) === unsaved.asset);
    expect(mine).toBeDefined();
    expect(mine!.dirty).toBe(true);
    expect(mine!.path).toBe(projectFile());
    await snap(page, 'recovery-03-unsaved-autosaved');
  });

  it('after SIGKILL, a new editor on the same data offers the unsaved work and recovers it', async () => {
    const code = await h.editor.stop('SIGKILL');
    expect(code).toBeNull(); // killed, no clean shutdown
    await ui.context.close();

    h.editor = await startEditor({ dataDir: h.work.dataDir, projectsDir: h.work.projectsDir });
    ui = await openEditorPage(h.browser, h.editor);
    const { page } = ui;
    await page.getByTestId('recover-dialog').waitFor();
    expect(await page.getByTestId('recover-dialog').innerText()).toContain(PROJECT);
    await snap(page, 'recovery-04-recover-dialog');
    await page.getByTestId('recover-accept').click();
    await page.getByTestId('recover-dialog').waitFor({ state: 'hidden' });

    await waitForMaskAsset(page, unsaved.asset);
    const m = await maskState(page);
    expect(m.asset).toBe(unsaved.asset);
    expect(m.checksum).toBe(unsaved.checksum);
    expect(m.painted).toBe(unsaved.painted);
    expect(await imageAsset(page)).toBe(opened.asset);
    // Recovered work is still unsaved work, and belongs to the saved project.
    expect(await page.getByTestId('dirty-dot').isVisible()).toBe(true);
    expect(await page.getByTestId('document-title').innerText()).toContain(PROJECT);
    await page.waitForFunction((a) => !!(globalThis as HookGlobal).__adstudioTest!.editor.assets.peekImage(a), opened.asset);
    await snap(page, 'recovery-05-recovered');
  });

  it('Open project reopens the saved file exactly as it was saved', async () => {
    const { page } = ui;
    await page.getByTestId('open-project').click();
    await page.getByTestId('open-project-dialog').waitFor();
    await page.getByTestId('project-list').getByText(PROJECT).click();
    await snap(page, 'recovery-06-open-project');
    await page.getByTestId('open-project-confirm').click();
    // The recovered, unsaved document would be replaced: the editor asks first.
    await page.getByTestId('confirm-discard-dialog').waitFor();
    await page.getByTestId('confirm-discard').click();

    await waitForMaskAsset(page, saved.asset);
    const m = await maskState(page);
    expect(m.asset).toBe(saved.asset);
    expect(m.checksum).toBe(saved.checksum);
    expect(m.undo).toEqual([]);
    expect(await imageAsset(page)).toBe(opened.asset);
    await page.getByTestId('dirty-dot').waitFor({ state: 'hidden' });
    const path = await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().projectPath);
    expect(path).toBe(projectFile());
    await snap(page, 'recovery-07-reopened');
  });
});
