import type { JobStore } from './job-store.js';
import type { LearnedEstimates, ModelEstimates } from './model-estimates.js';

const FORMAT = 'adstudio-model-estimates/1';
/** Models per engine and observations per model kept at most: a damaged or hostile file stays small. */
const MAX_MODELS = 256;
const MAX_OBSERVATIONS = 64;

interface EstimatesFile {
  format: typeof FORMAT;
  /** By engine (capabilities().engine): a folder shared by two engines keeps both engines' figures. */
  engines: Record<string, LearnedEstimates & { savedAt: number }>;
}

/**
 * Keeps what the scheduler learnt about its models (footprints, load and unload times) in the jobs
 * folder beside the job records, so a restart starts from the corrected figures instead of the
 * declared ones. Read once at start; written after every change, coalesced (one write at a time,
 * then the newest state), atomically by the store.
 */
export class LearnedEstimatesKeeper {
  private others: EstimatesFile['engines'] = {};
  private dirty = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: JobStore,
    private readonly engineKey: string,
    private readonly estimates: ModelEstimates,
    private readonly log: (message: string) => void,
  ) {}

  /** Reads the file and hands this engine's figures to the estimates; an unreadable file is ignored (and replaced later). */
  async restore(): Promise<void> {
    if (!this.store.readEstimates) return;
    let raw: unknown;
    try {
      raw = await this.store.readEstimates();
    } catch (e) {
      this.log(`Learnt model estimates: ${(e as Error).message}; starting from the declared figures.`);
      return;
    }
    if (raw === null || raw === undefined) return;
    const file = parseFile(raw);
    if (!file) {
      this.log(`Learnt model estimates in ${this.store.location} are not in a format this adstudio reads; starting from the declared figures.`);
      return;
    }
    const { [this.engineKey]: mine, ...others } = file.engines;
    this.others = others;
    if (mine) this.estimates.restore(mine);
  }

  /** Something was learnt: write it soon (a write in progress is followed by one more with the newest state). */
  schedule(): void {
    if (!this.store.writeEstimates) return;
    this.dirty = true;
    this.running ??= this.drain();
  }

  /** Resolves once everything learnt so far is on disk (or failed to get there, which is logged). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // One tick later: a burst of observations (load, memory, run) becomes one write.
    await Promise.resolve();
    try {
      while (this.dirty) {
        this.dirty = false;
        const file: EstimatesFile = { format: FORMAT, engines: { ...this.others, [this.engineKey]: { ...this.estimates.learned(), savedAt: Date.now() } } };
        try {
          await this.store.writeEstimates?.(file);
        } catch (e) {
          this.log(`Could not save the learnt model estimates in ${this.store.location}: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running = null;
    }
  }
}

function parseFile(raw: unknown): EstimatesFile | null {
  if (!isObject(raw) || raw.format !== FORMAT || !isObject(raw.engines)) return null;
  const engines: EstimatesFile['engines'] = {};
  for (const [engine, value] of Object.entries(raw.engines).slice(0, 16)) {
    if (!isObject(value) || !isObject(value.models)) continue;
    const models: LearnedEstimates['models'] = {};
    for (const [id, m] of Object.entries(value.models).slice(0, MAX_MODELS)) {
      if (!isObject(m)) continue;
      const footprintMb = Array.isArray(m.footprintMb) ? m.footprintMb.filter(isPositive).slice(-MAX_OBSERVATIONS) : [];
      models[id] = {
        ...(footprintMb.length ? { footprintMb } : {}),
        ...(isDuration(m.loadMs) ? { loadMs: m.loadMs } : {}),
        ...(isDuration(m.unloadMs) ? { unloadMs: m.unloadMs } : {}),
      };
    }
    engines[engine] = { models, savedAt: typeof value.savedAt === 'number' ? value.savedAt : 0 };
  }
  return { format: FORMAT, engines };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1e9;
}

function isDuration(v: unknown): v is number {
  return v === 0 || isPositive(v);
}
