import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore, defaultSettings } from '../../../../../main/core/settings/settings-store.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const defaults = defaultSettings('patch-match');

async function open(dir: string, logs: string[] = []) {
  return SettingsStore.open(join(dir, 'settings.json'), defaults, (m) => logs.push(m));
}

describe('SettingsStore', () => {
  it('starts from the documented defaults without a file', async () => {
    const store = await open(await tempDir());
    expect(store.get()).toEqual({ language: 'system', maskColor: '#ff2d55', maskOpacity: 0.5, autosaveSeconds: 10, inpaintMethod: 'patch-match' });
  });

  it('persists updates across restarts', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.update({ language: 'ko' });
    await store.update({ maskOpacity: 0.8 });
    expect((await open(dir)).get()).toMatchObject({ language: 'ko', maskOpacity: 0.8, maskColor: '#ff2d55' });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('keeps both of two concurrent updates', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await Promise.all([store.update({ language: 'en' }), store.update({ maskColor: '#00ff00' })]);
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ language: 'en', maskColor: '#00ff00' });
  });

  it('refuses invalid values and unknown keys, changing nothing', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await expect(store.update({ maskOpacity: 3 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('maskOpacity') });
    await expect(store.update({ maskColor: 'red' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(store.update({ nope: 1 } as never)).rejects.toMatchObject({ code: 'bad-request' });
    expect(store.get()).toEqual(defaults);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"language": "ko",'],
    ['a wrong value', JSON.stringify({ language: 'fr', maskColor: '#ff2d55' })],
    ['an array', '[]'],
  ])('survives a damaged file (%s): defaults, the file kept as settings.json.bad', async (_label, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), content);
    const logs: string[] = [];
    const store = await open(dir, logs);
    expect(store.get()).toEqual(defaults);
    expect(await readFile(join(dir, 'settings.json.bad'), 'utf8')).toBe(content);
    expect(logs.join('\n')).toContain('settings.json.bad');
    await store.update({ language: 'en' });
    expect((await open(dir)).get().language).toBe('en');
  });

  it('fills settings added in a later version from defaults', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ language: 'ko' }));
    expect((await open(dir)).get()).toEqual({ ...defaults, language: 'ko' });
  });
});
