import type { AdstudioApi } from '../../../preload/contract/api';

/**
 * What the renderer needs from its host. `src/platform` is the only code that reads window.adstudio
 * (Electron) or opens the browser bridge; tests can inject another Platform.
 */
export interface Platform {
  api: AdstudioApi;
  mode: 'electron' | 'browser';
  /** URL the renderer can load an asset from (img src / fetch). */
  assetUrl(hash: string): string;
  /** Browser mode: let the browser download a file the server wrote. */
  download(url: string, fileName: string): void;
}
