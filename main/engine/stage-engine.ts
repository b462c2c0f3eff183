/**
 * The one interface every engine implements (DESIGN.md §4): the embedded engine, the simulated-VRAM
 * engine, the HTTP client of `adstudio serve` and the nanoCocoa adapter. The scheduler drives it:
 * it loads and unloads models explicitly and runs one stage at a time per model.
 *
 * Images travel as file paths (inside the engine's workspace root), never as bytes or base64.
 */

/** The stages a job graph is made of. */
export const STAGE_KINDS = ['detect_text', 'inpaint', 'refine', 'cutout', 'background', 'harmonize', 'compose', 'render_text'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Where a model lives while resident. CPU models count against RAM, never against the VRAM budget. */
export type ModelDevice = 'gpu' | 'cpu';

export interface ModelInfo {
  /** e.g. "flux-dev", "lama", "ppocr-det". */
  id: string;
  /** The stage this model serves. */
  stage: StageKind;
  label: string;
  device: ModelDevice;
  /** Declared footprint while resident, MB (VRAM for gpu models, RAM for cpu models). */
  footprintMb: number;
  /** Largest footprint actually observed (peak while running), MB; null until measured. */
  observedPeakMb: number | null;
  /** Declared cold-load time, ms (the scheduler corrects it from measured loads). */
  loadMs: number;
  /** Declared unload time, ms. */
  unloadMs: number;
  resident: boolean;
  /** Where the declared figures come from (a measurement or a cited public figure). */
  source?: string;
}

export interface EngineCapabilities {
  /** "embedded", "simulated-gpu", "adstudio-serve", "nanococoa". */
  engine: string;
  version: string;
  /** Protocol spoken, "adstudio/1" for `adstudio serve`. */
  protocol: string;
  /** True when VRAM and timings are simulated; every report of such an engine must say so. */
  simulated: boolean;
  stages: StageKind[];
  /** Erase methods by id (inpaint stage). */
  inpaintMethods: string[];
}

export interface MemoryReport {
  device: ModelDevice;
  totalMb: number;
  usedMb: number;
  /** What the scheduler may use (e.g. ~22 GB of a 24 GB card). */
  budgetMb: number;
  simulated: boolean;
}

export interface EngineHealth {
  status: 'healthy' | 'unhealthy';
  message?: string;
  simulated: boolean;
  gpu: MemoryReport | null;
}

/** Stage inputs, outputs: named file paths. Params: JSON values the stage understands. */
export interface StageRequest {
  kind: StageKind;
  /** The model to run with; must be resident (the scheduler loads it first). Null for model-less stages. */
  model: string | null;
  inputs: Record<string, string>;
  /** Where to write each output (the engine writes atomically; the caller picks the paths). */
  outputs: Record<string, string>;
  params?: Record<string, unknown>;
}

export interface StageResult {
  /** Output name → file path actually written. */
  outputs: Record<string, string>;
  /** e.g. "inpaint:patchmatch", "simulated:flux-dev" — shown to the user as what made it. */
  madeBy: string;
  /** Peak memory the stage used, MB, when the engine can tell. */
  peakMb?: number;
}

export interface StageContext {
  signal: AbortSignal;
  /** Step-granular progress: `step` of `total` done (monotonic). */
  onProgress?: (step: number, total: number, message?: string) => void;
  /**
   * Called by an engine that runs the stage remotely (e.g. in a container) as soon as it has an id
   * for the run, so the scheduler can record it and pick the run up again after an app restart.
   */
  onRunId?: (runId: string) => void;
}

/** Transient errors (engine busy, connection reset) are AppError('engine-busy'); others fail the stage. */
export interface StageEngine {
  capabilities(): Promise<EngineCapabilities>;
  health(): Promise<EngineHealth>;
  models(): Promise<ModelInfo[]>;
  /** Loads a model; resolves once it is resident. Loading a resident model is a no-op. */
  load(modelId: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Unloads a model; resolves once the engine says it is gone (memory may lag: see memory()). */
  unload(modelId: string): Promise<void>;
  /** Current memory of the device the budget is about (gpu, or null when there is none). */
  memory(): Promise<MemoryReport | null>;
  runStage(request: StageRequest, context: StageContext): Promise<StageResult>;
  /**
   * Optional: follow a run that was started before an app restart (its id came through
   * StageContext.onRunId) until it ends. Rejects with AppError('not-found') when the engine no longer
   * knows the run; the scheduler then runs the stage again.
   */
  reattach?(runId: string, context: StageContext): Promise<StageResult>;
  close(): Promise<void>;
}
