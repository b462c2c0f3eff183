import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import { MODEL_CATALOG, catalogModel, catalogRun, toModelInfo, type CatalogModel, type CatalogRun } from '../../core/scheduler/model-catalog.js';
import { STAGE_KINDS, type EngineCapabilities, type EngineHealth, type MemoryReport, type ModelInfo, type StageContext, type StageEngine, type StageKind, type StageRequest, type StageResult } from '../stage-engine.js';
import { warmPlaceholders, writePlaceholderOutputs } from './simulated-outputs.js';
import { SimulatedVram } from './simulated-vram.js';

/** A real implementation of a stage the simulated engine may hand work to (e.g. the embedded erase). */
export type SimulatedStageRunner = (request: StageRequest, context: StageContext) => Promise<StageResult>;

export interface SimulatedEngineOptions {
  /** The card, MB (default 24 GB, an L4). */
  totalMb?: number;
  /** What the scheduler may use, MB (default 22 GB, what the seed team found usable on an L4). */
  budgetMb?: number;
  /** Declared models (default: the catalog). */
  models?: readonly CatalogModel[];
  /** Multiplies every catalog time: 1 = real seconds, 0.001 = a 128 s load takes 128 ms. */
  timeScale?: number;
  /** Catalog-time ms before memory freed by an unload shows as free (scaled like the rest). */
  memoryLagMs?: number;
  /** What a model really takes, MB, when it differs from its declaration (tests of correction). */
  actualFootprintMb?: Record<string, number>;
  /** Catalog-time figures of model-less (CPU) stages, when not the catalog's estimates. */
  cpuStages?: Partial<Record<StageKind, CatalogRun>>;
  /** Stages to run for real instead of writing placeholders (e.g. detect_text, inpaint). */
  delegates?: Partial<Record<StageKind, SimulatedStageRunner>>;
  /**
   * Stages to run for real only when they name no model (CPU work such as the editor's cut-out and
   * preset backgrounds); the same kinds naming a GPU model (BiRefNet, FLUX…) stay simulated.
   */
  cpuDelegates?: Partial<Record<StageKind, SimulatedStageRunner>>;
}

export interface SimulatedStats {
  loads: number;
  unloads: number;
  loadsByModel: Record<string, number>;
  runs: number;
  /** Highest used VRAM at any moment, lagging frees included, MB. */
  peakUsedMb: number;
  usedMb: number;
}

export interface SimulatedEngine extends StageEngine {
  stats(): SimulatedStats;
  /** The next `count` stage runs answer AppError('engine-busy'). */
  simulateBusy(count: number): void;
  /**
   * The engine process dies: resident models and their memory are gone, health is unhealthy for
   * `downMs` (real ms). Running stages reject with AppError('engine') — or, with `hang`, stop
   * making progress and never answer (not even to an abort), like a wedged process.
   */
  simulateCrash(options?: { downMs?: number; hang?: boolean }): void;
  /**
   * The next `count` simulated stage runs wedge while the engine stays healthy: after their first step they
   * report no more progress and never finish — until aborted, or (`ignoreAbort`) not even then, like
   * a stuck kernel in a process that still answers health checks.
   */
  simulateStall(count: number, options?: { ignoreAbort?: boolean }): void;
}

const DEFAULT_TOTAL_MB = 24 * 1024;
const DEFAULT_BUDGET_MB = 22 * 1024;

/**
 * The simulated-VRAM engine (issue #6): declared GPU footprints, catalog load/run/unload times
 * scaled by `timeScale`, memory that comes back late after an unload, and a hard "out of memory
 * (simulated)" beyond the card. It lets the scheduler run end to end without a GPU; everything it
 * reports says simulated.
 */
export function createSimulatedEngine(options: SimulatedEngineOptions = {}): SimulatedEngine {
  const models = options.models ?? MODEL_CATALOG;
  const scale = options.timeScale ?? 1;
  const totalMb = options.totalMb ?? DEFAULT_TOTAL_MB;
  const budgetMb = Math.min(options.budgetMb ?? DEFAULT_BUDGET_MB, totalMb);
  const vram = new SimulatedVram(totalMb, () => (options.memoryLagMs ?? 1_500) * scale);
  const ram = new Set<string>();
  const loading = new Map<string, Promise<void>>();
  const observedPeak = new Map<string, number>();
  const stats = { loads: 0, unloads: 0, runs: 0, loadsByModel: {} as Record<string, number> };
  let busyLeft = 0;
  const stallsLeft: Array<{ ignoreAbort: boolean }> = [];
  let generation = 0; // bumps on every crash: work started before it is dead
  let downUntil = 0;
  let hung = false;
  let closed = false;

  const model = (id: string): CatalogModel => {
    const m = catalogModel(id, models);
    if (!m) throw new AppError('not-found', `The simulated engine has no model "${id}" (it has: ${models.map((x) => x.id).join(', ')}).`);
    return m;
  };
  const actualMb = (m: CatalogModel) => options.actualFootprintMb?.[m.id] ?? m.footprintMb;
  const resident = (id: string) => vram.has(id) || ram.has(id);
  const ensureOpen = () => {
    if (closed) throw new AppError('engine', 'The simulated engine is closed.');
    if (performance.now() < downUntil || hung) throw new AppError('engine', 'The engine process is not running (simulated crash).');
  };
  warmPlaceholders();
  const report = (): MemoryReport => ({ device: 'gpu', totalMb, usedMb: vram.usedMb(), budgetMb, simulated: true });

  /** Sleeps catalog-time `ms`; rejects on abort or when the engine crashes meanwhile. */
  const wait = async (ms: number, signal: AbortSignal | undefined, gen: number): Promise<void> => {
    let aborted = false;
    try {
      if (ms * scale > 0) await sleep(ms * scale, undefined, signal ? { signal } : undefined);
      else signal?.throwIfAborted();
    } catch {
      aborted = true;
    }
    if (gen !== generation) {
      if (hung) await new Promise<never>(() => undefined); // a wedged process answers nothing, not even an abort
      throw new AppError('engine', 'The engine process exited (simulated crash).');
    }
    if (aborted) throw new AppError('cancelled', 'Cancelled.');
  };

  const engine: SimulatedEngine = {
    async capabilities(): Promise<EngineCapabilities> {
      return {
        engine: 'simulated-gpu',
        version: '1',
        protocol: 'adstudio/1',
        simulated: true,
        stages: [...STAGE_KINDS],
        inpaintMethods: models.filter((m) => m.stages.includes('inpaint')).map((m) => m.id),
      };
    },

    async health(): Promise<EngineHealth> {
      const down = hung || performance.now() < downUntil;
      return {
        status: closed || down ? 'unhealthy' : 'healthy',
        message: closed ? 'closed' : down ? 'the engine process is not running (simulated crash)' : `simulated GPU, ${Math.round(budgetMb / 1024)} GB budget of ${Math.round(totalMb / 1024)} GB`,
        simulated: true,
        gpu: report(),
      };
    },

    async models(): Promise<ModelInfo[]> {
      return models.map((m) => ({
        ...toModelInfo(m, resident(m.id), observedPeak.get(m.id) ?? null),
        source: `simulated; declared figures: ${m.source}`,
      }));
    },

    async load(id, loadOptions) {
      ensureOpen();
      const m = model(id);
      if (resident(id)) return;
      const pending = loading.get(id);
      if (pending) return pending;
      const gen = generation;
      const work = (async () => {
        if (m.device === 'gpu') {
          if (!vram.allocate(id, actualMb(m))) {
            throw new AppError('engine', `out of memory (simulated): loading ${id} needs ${actualMb(m)} MB; ${vram.usedMb()} of ${totalMb} MB are in use.`);
          }
        }
        try {
          await wait(m.loadMs, loadOptions?.signal, gen);
        } catch (e) {
          if (gen === generation) vram.discard(id);
          throw e;
        }
        if (m.device === 'cpu') ram.add(id);
        stats.loads++;
        stats.loadsByModel[id] = (stats.loadsByModel[id] ?? 0) + 1;
      })();
      loading.set(id, work);
      try {
        await work;
      } finally {
        loading.delete(id);
      }
    },

    async unload(id) {
      ensureOpen();
      const m = model(id);
      await loading.get(id)?.catch(() => undefined);
      if (!resident(id)) return;
      await wait(m.unloadMs, undefined, generation);
      vram.release(id);
      ram.delete(id);
      stats.unloads++;
    },

    async memory() {
      return report();
    },

    async runStage(request, context) {
      ensureOpen();
      if (busyLeft > 0) {
        busyLeft--;
        throw new AppError('engine-busy', 'The engine is busy with another run (simulated).');
      }
      const m = request.model === null ? undefined : model(request.model);
      if (m && !resident(m.id)) throw new AppError('engine', `Model "${m.id}" is not loaded (simulated); load it before running ${request.kind}.`);
      const gen = generation;
      stats.runs++;
      const delegate = options.delegates?.[request.kind] ?? (m ? undefined : options.cpuDelegates?.[request.kind]);
      // Only simulated stages wedge; real ones (delegates) run as they are.
      const stall = delegate ? undefined : stallsLeft.shift();
      let outputs: Record<string, string>;
      let madeBy: string;
      if (delegate) {
        const result = await delegate(request, context);
        if (gen !== generation) throw new AppError('engine', 'The engine process exited (simulated crash).');
        outputs = result.outputs;
        madeBy = `${result.madeBy} (simulated engine)`;
      } else {
        const run = (m ? undefined : options.cpuStages?.[request.kind]) ?? catalogRun(m, request.kind);
        const steps = Math.max(1, run.steps);
        madeBy = `simulated:${m?.id ?? 'cpu'}`;
        // Placeholders are written while the simulated steps run, so their real disk time does not
        // stretch the scaled stage time; a stopped stage takes its placeholders away again.
        const writing = writePlaceholderOutputs(request, madeBy);
        writing.catch(() => undefined);
        try {
          // Step deadlines from the start, not sleeps in a row: timer slack must not add up.
          const start = performance.now();
          for (let step = 1; step <= steps; step++) {
            const due = ((run.ms * step) / steps) * scale;
            await wait((due - (performance.now() - start)) / scale, context.signal, gen);
            context.onProgress?.(step, steps);
            if (stall) await stallUntilAborted(context.signal, stall.ignoreAbort);
          }
        } catch (e) {
          const written = await writing.catch(() => ({}));
          await Promise.all(Object.values(written).map((p) => unlink(p).catch(() => undefined)));
          throw e;
        }
        outputs = await writing;
      }
      if (m && m.device === 'gpu') observedPeak.set(m.id, actualMb(m));
      return { outputs, madeBy, ...(m && m.device === 'gpu' ? { peakMb: actualMb(m) } : {}) };
    },

    async close() {
      closed = true;
    },

    stats() {
      return { ...stats, loadsByModel: { ...stats.loadsByModel }, peakUsedMb: vram.peakMb(), usedMb: vram.usedMb() };
    },

    simulateBusy(count) {
      busyLeft += Math.max(0, Math.floor(count));
    },

    simulateStall(count, stallOptions = {}) {
      for (let i = 0; i < Math.max(0, Math.floor(count)); i++) stallsLeft.push({ ignoreAbort: stallOptions.ignoreAbort ?? false });
    },

    simulateCrash(crash = {}) {
      generation++;
      hung = crash.hang ?? false;
      vram.releaseAllNow();
      ram.clear();
      downUntil = performance.now() + (crash.downMs ?? 0);
      if (hung) {
        setTimeout(() => {
          hung = false;
        }, crash.downMs ?? 0);
      }
    },
  };
  return engine;
}

/** A wedged stage: no progress, no answer; rejects as cancelled on abort unless it ignores even that. */
function stallUntilAborted(signal: AbortSignal, ignoreAbort: boolean): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (ignoreAbort) return;
    const stop = () => reject(new AppError('cancelled', 'Cancelled.'));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
