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
  /**
   * Browser mode: the link to the server, for a "Reconnecting…" banner. Absent in Electron, where
   * main and renderer cannot lose each other.
   */
  connection?: ConnectionMonitor;
}

/**
 * - connecting: first attempt in progress
 * - open: requests go through
 * - reconnecting: link lost; requests fail fast with code 'io' until it is back
 * - unauthorized: the server no longer accepts this page's token (it restarted with a new one):
 *   the user must open the new link it printed
 * - closed: shut down on purpose
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the link was last open. */
  attempt: number;
  /** While reconnecting/unauthorized: milliseconds until the next attempt. */
  retryInMs?: number;
}

export interface ConnectionMonitor {
  current(): ConnectionStatus;
  /** Called on every change (not immediately). Returns unsubscribe. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}
