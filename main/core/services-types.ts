import type { EventSink, Handlers } from '../../preload/contract/index.js';
import type { InpaintEngine } from '../engine/inpaint-engine.js';
import type { RawImage } from './images/raw-image.js';
import type { EnginesPort } from './engines/engines-port.js';
import type { JobEnginePort } from './jobs/job-engine-choice.js';
import type { SchedulerPort } from './jobs/scheduler-handlers.js';
import type { ModelsPort } from './models/model-handlers.js';
import type { BackgroundPreset as BackgroundPresetName } from '../../preload/contract/ad-layout.js';
import type { PaletteColour } from '../engine/background/palette.js';

/** The product's colours (extractPalette), most prominent first. */
export type BackgroundPalette = PaletteColour[];

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
  /** Engine containers (ContainerManager). Absent: the engine channels say Docker engines are not offered here. Closed by dispose(). */
  engines?: EnginesPort;
  /** Text detection (createTextDetector()). Absent: startDetectText answers 'unsupported'. Closed by dispose(). */
  textDetector?: TextDetector;
  /** Reads each detected line's copy for the region list. Absent: regions have text null. Closed by dispose(). */
  textReader?: TextReaderPort;
  /**
   * The stage scheduler behind the Jobs panel (createScheduler) and the engine it drives. Absent: no
   * scheduler jobs, and the VRAM bar says CPU only (embedded engine). Closed by dispose(), then its close().
   */
  scheduler?: SchedulerPort;
  /**
   * "Run jobs on": the embedded engine or a container engine profile (JobEngineChoice over a
   * SchedulerHub that is `scheduler`). Absent: jobs run where `scheduler` runs them. Closed by dispose().
   */
  jobEngine?: JobEnginePort;
  /**
   * The model manager (openModelStore()) behind listModels and startModelDownload (the editor's
   * one-click LaMa download). Absent: no models are listed and a download answers 'unsupported'.
   */
  models?: ModelsPort;
  /**
   * Cut-out for startCutout when no scheduler workspace is set (createCutoutEngine()). With one, the
   * cut-out is a scheduler job instead. Absent both: startCutout answers 'unsupported'. Closed by dispose().
   */
  cutout?: CutoutPort;
  /** Procedural backdrops for startBackgrounds, likewise (createBackgroundEngine()). Closed by dispose(). */
  backgrounds?: BackgroundPort;
}

/** The cut-out engine as the services use it (main/engine/cutout createCutoutEngine()). */
export interface CutoutPort {
  cutout(request: { image: RawImage; mask?: RawImage; signal?: AbortSignal; onProgress?: (progress: number, message?: string) => void }): Promise<{ image: RawImage; madeBy: string; fallbackReason?: string }>;
  close(): Promise<void>;
}

/** The background engine as the services use it (main/engine/background createBackgroundEngine()). */
export interface BackgroundPort {
  render(request: {
    preset: BackgroundPresetName;
    width: number;
    height: number;
    seed: number;
    palette?: BackgroundPalette;
    signal?: AbortSignal;
    onProgress?: (progress: number, message?: string) => void;
  }): Promise<{ rgb: Uint8Array; width: number; height: number }>;
  close(): Promise<void>;
}

export interface Services {
  handlers: Handlers;
  /** Subscribe a transport (Electron webContents, WebSocket clients) to events. */
  onEvent(sink: EventSink): () => void;
  /** Absolute path of a stored asset, for serving it (null if unknown). */
  assetFile(hash: string): Promise<{ path: string; mime: string } | null>;
  dispose(): Promise<void>;
}

/** One detected text line as the services need it (a subset of main/engine/detect-text TextRegion). */
export interface TextDetectorRegion {
  id: number;
  polygon: [number, number][];
  box: { x: number; y: number; w: number; h: number };
  score: number;
  lineHeight: number;
  /** Direction of the line, degrees clockwise from horizontal (the reader deskews with it). */
  angle?: number;
  text?: string;
}

/**
 * Reads the copy of detected lines (main/engine/read-text createTextReader()): one string or null
 * per region, same order. Rejects with AppError 'cancelled' soon after `signal` aborts.
 */
export interface TextReaderPort {
  read(request: {
    image: RawImage;
    regions: ReadonlyArray<{ polygon: [number, number][]; lineHeight: number; angle: number }>;
    signal?: AbortSignal;
    onProgress?: (progress: number, message?: string) => void;
  }): Promise<Array<string | null>>;
  close(): Promise<void>;
}

/**
 * Text detection port, the shape of main/engine/detect-text createTextDetector(): detect() settles
 * soon after `signal` aborts (rejecting with AppError 'cancelled'); close() ends its worker safely.
 */
export interface TextDetector {
  detect(request: {
    image: RawImage;
    signal?: AbortSignal;
    onProgress?: (progress: number, message?: string) => void;
  }): Promise<{ mask: RawImage; regions: TextDetectorRegion[] }>;
  close(): Promise<void>;
}
