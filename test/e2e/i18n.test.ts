import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFailures, gotoTestPage, openEditorPage, snap, startHarness, type EditorPage, type Harness } from './support/editor-page.js';

/** Korean-first UI: follows the browser's language, switchable in settings, remembered. */
describe('UI language', () => {
  let h: Harness;
  let ko: EditorPage;
  let en: EditorPage;
  captureFailures('i18n-ko', () => ko?.page);
  captureFailures('i18n-en', () => en?.page);

  const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();
  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
  const savedLanguage = async () => (JSON.parse(await readFile(join(h.work.dataDir, 'settings.json'), 'utf8').catch(() => '{}')) as { language?: string }).language;

  async function chooseLanguage(page: Page, value: 'ko' | 'en' | 'system'): Promise<void> {
    await page.getByTestId('settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await page.getByTestId('language-select').selectOption(value);
  }

  async function closeSettings(page: Page): Promise<void> {
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-dialog').waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    h = await startHarness('i18n');
    [ko, en] = await Promise.all([openEditorPage(h.browser, h.editor, { locale: 'ko-KR' }), openEditorPage(h.browser, h.editor, { locale: 'en-US' })]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a Korean browser gets the Korean UI', async () => {
    const { page } = ko;
    await page.getByTestId('welcome').waitFor();
    expect(await text(page, 'open-image-button')).toBe('이미지 열기');
    expect(await text(page, 'welcome')).toContain('최근 프로젝트');
    expect(await text(page, 'status-bar')).toContain('브라우저 모드');
    expect(await htmlLang(page)).toBe('ko');
    await snap(page, 'i18n-01-ko');
  });

  it('an English browser gets the English UI', async () => {
    const { page } = en;
    await page.getByTestId('welcome').waitFor();
    expect(await text(page, 'open-image-button')).toBe('Open image');
    expect(await text(page, 'welcome')).toContain('Recent projects');
    expect(await text(page, 'status-bar')).toContain('Browser mode');
    expect(await htmlLang(page)).toBe('en');
    await snap(page, 'i18n-02-en');
  });

  it('choosing Korean in settings relabels the screen at once and is remembered after a reload', async () => {
    const { page } = en;
    await chooseLanguage(page, 'ko');
    // Immediately, with the dialog still open: its own title and the screen behind it.
    await page.getByTestId('settings-dialog').getByRole('heading', { name: '설정' }).waitFor();
    expect(await text(page, 'open-image-button')).toBe('이미지 열기');
    expect(await text(page, 'status-bar')).toContain('브라우저 모드');
    await snap(page, 'i18n-03-switched-to-ko');
    await closeSettings(page);
    expect(await htmlLang(page)).toBe('ko');

    await expect.poll(savedLanguage, { timeout: 5000 }).toBe('ko');
    await gotoTestPage(page, h.editor);
    await page.getByTestId('welcome').waitFor();
    expect(await text(page, 'open-image-button')).toBe('이미지 열기'); // still Korean in an English browser
  });

  it('choosing English switches back, also remembered', async () => {
    const { page } = ko;
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    await chooseLanguage(page, 'en');
    await page.getByTestId('settings-dialog').getByRole('heading', { name: 'Settings' }).waitFor();
    await closeSettings(page);
    expect(await text(page, 'open-image-button')).toBe('Open image');
    await expect.poll(savedLanguage, { timeout: 5000 }).toBe('en');
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    expect(await text(page, 'open-image-button')).toBe('Open image'); // in a Korean browser
    await snap(page, 'i18n-04-ko-browser-english-setting');

    // "System" follows the browser again.
    await chooseLanguage(page, 'system');
    await page.getByTestId('settings-dialog').getByRole('heading', { name: '설정' }).waitFor();
    await closeSettings(page);
    expect(await text(page, 'open-image-button')).toBe('이미지 열기');
  });
});
