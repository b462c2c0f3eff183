import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, defaultProjectsDir, resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';

describe('defaultDataDir', () => {
  it('uses $ADSTUDIO_HOME when set', () => {
    expect(defaultDataDir({ env: { ADSTUDIO_HOME: '/data/ad' }, platform: 'linux', home: '/home/u' })).toBe('/data/ad');
  });
  it('matches Electron userData on Linux (XDG_CONFIG_HOME, else ~/.config)', () => {
    expect(defaultDataDir({ env: {}, platform: 'linux', home: '/home/u' })).toBe('/home/u/.config/adstudio');
    expect(defaultDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home: '/home/u' })).toBe('/xdg/adstudio');
  });
  it('matches Electron userData on macOS and Windows', () => {
    expect(defaultDataDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe(join('/Users/u', 'Library', 'Application Support', 'adstudio'));
    expect(defaultDataDir({ env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\u' })).toBe(
      join('C:\\Users\\u\\AppData\\Roaming', 'adstudio'),
    );
  });
});

describe('defaultProjectsDir', () => {
  it('prefers $ADSTUDIO_PROJECTS, then ~/Documents/adstudio, then ~/adstudio', () => {
    expect(defaultProjectsDir({ env: { ADSTUDIO_PROJECTS: '/p' }, home: '/h', exists: () => true })).toBe('/p');
    expect(defaultProjectsDir({ env: {}, home: '/h', exists: (p) => p === '/h/Documents' })).toBe('/h/Documents/adstudio');
    expect(defaultProjectsDir({ env: {}, home: '/h', exists: () => false })).toBe('/h/adstudio');
  });
});

describe('resolveServicePaths', () => {
  it('puts assets, recovery, exports and settings.json under the data folder', () => {
    expect(resolveServicePaths('/d', '/p')).toEqual({
      dataDir: '/d',
      assetsDir: '/d/assets',
      projectsDir: '/p',
      recoveryDir: '/d/recovery',
      exportsDir: '/d/exports',
      settingsFile: '/d/settings.json',
    });
  });
});
