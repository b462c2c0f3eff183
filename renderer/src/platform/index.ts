import type { AdstudioApi } from '../../../preload/contract/api';
import { createBrowserPlatform } from './browser-platform';
import { createElectronPlatform } from './electron-platform';
import type { Platform } from './types';

export type { ConnectionMonitor, ConnectionState, ConnectionStatus, Platform } from './types';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. Read only here. */
    adstudio?: AdstudioApi;
  }
}

let platform: Promise<Platform> | null = null;

/** The host this renderer runs in: Electron (preload API) or a browser (WebSocket bridge). */
export function getPlatform(): Promise<Platform> {
  platform ??= window.adstudio ? Promise.resolve(createElectronPlatform(window.adstudio)) : createBrowserPlatform();
  return platform;
}

/** Tests and the headless test editor inject their own Platform (null restores detection). */
export function setPlatformForTests(override: Platform | null): void {
  platform = override ? Promise.resolve(override) : null;
}
