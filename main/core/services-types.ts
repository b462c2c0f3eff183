import type { EventSink, Handlers } from '../../preload/contract/index.js';
import type { InpaintEngine } from '../engine/inpaint-engine.js';

/** Where main-side state lives on disk. All created on demand. */
export interface ServicePaths {
  /** Root of app data (Electron userData, or ~/.adstudio / $ADSTUDIO_HOME in browser mode/CLI). */
  dataDir: string;
  /** Content-addressed assets: <assetsDir>/<hh>/<hash>.<ext> */
  assetsDir: string;
  /** Default folder for projects (browser-mode save target; Electron dialogs start here). */
  projectsDir: string;
  /** Autosave/crash-recovery copies. */
  recoveryDir: string;
  /** Browser-mode exports (served for download). */
  exportsDir: string;
  settingsFile: string;
}

/** Native dialogs (Electron adapter). Absent in browser mode. Each returns null when cancelled. */
export interface DialogPort {
  openImage(kind: 'image' | 'mask'): Promise<string | null>;
  openProject(defaultDir: string): Promise<string | null>;
  saveProject(defaultPath: string): Promise<string | null>;
  saveExport(defaultPath: string, format: 'png' | 'jpeg' | 'webp'): Promise<string | null>;
}

export interface ServicesOptions {
  mode: 'electron' | 'browser';
  version: string;
  osLocale: string;
  paths: ServicePaths;
  dialogs?: DialogPort;
  /** Browser mode: URL under which the server serves a file written into exportsDir. */
  downloadUrl?: (absolutePath: string) => string;
  inpaintEngine: InpaintEngine;
}

export interface Services {
  handlers: Handlers;
  /** Subscribe a transport (Electron webContents, WebSocket clients) to events. */
  onEvent(sink: EventSink): () => void;
  /** Absolute path of a stored asset, for serving it (null if unknown). */
  assetFile(hash: string): Promise<{ path: string; mime: string } | null>;
  dispose(): Promise<void>;
}
