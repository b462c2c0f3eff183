import type { AdstudioApi } from '../../../preload/contract/api';
import { assetUrl } from './asset-url';
import type { Platform } from './types';

/** window.adstudio comes from the preload (contextBridge); nothing to connect. */
export function createElectronPlatform(api: AdstudioApi): Platform {
  return {
    api,
    mode: 'electron',
    assetUrl,
    // Electron exports go through a native save dialog straight to disk: nothing to download.
    download: () => {},
  };
}
