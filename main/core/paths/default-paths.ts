import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServicePaths } from '../services-types.js';

/** The name Electron derives userData from (package.json productName). */
export const APP_DIR_NAME = 'adstudio';

export interface PathEnv {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  /** Injected for tests; defaults to fs.existsSync. */
  exists?: (path: string) => boolean;
}

/**
 * App data folder. $ADSTUDIO_HOME wins; otherwise the folder Electron's app.getPath('userData') would
 * be, so the CLI, the browser mode and the desktop app share settings, assets and recovery files.
 */
export function defaultDataDir({ env = process.env, platform = process.platform, home = homedir() }: PathEnv = {}): string {
  if (env.ADSTUDIO_HOME) return env.ADSTUDIO_HOME;
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME);
  }
}

/** Where projects go by default: $ADSTUDIO_PROJECTS, else ~/Documents/adstudio, else ~/adstudio. */
export function defaultProjectsDir({ env = process.env, home = homedir(), exists = existsSync }: PathEnv = {}): string {
  if (env.ADSTUDIO_PROJECTS) return env.ADSTUDIO_PROJECTS;
  const documents = join(home, 'Documents');
  return exists(documents) ? join(documents, APP_DIR_NAME) : join(home, APP_DIR_NAME);
}

export function resolveServicePaths(dataDir: string, projectsDir: string = defaultProjectsDir()): ServicePaths {
  return {
    dataDir,
    assetsDir: join(dataDir, 'assets'),
    projectsDir,
    recoveryDir: join(dataDir, 'recovery'),
    exportsDir: join(dataDir, 'exports'),
    settingsFile: join(dataDir, 'settings.json'),
  };
}
