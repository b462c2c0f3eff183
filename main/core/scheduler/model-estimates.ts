import type { ModelDevice, ModelInfo, StageKind } from '../../engine/stage-engine.js';
import { MODEL_CATALOG, catalogModel, catalogRun, type CatalogModel } from './model-catalog.js';

/**
 * What the scheduler believes about each model: the declared figures (the engine's models(), else
 * the catalog), corrected by measurements. Times are exponential moving averages seeded by the first
 * measurement (a measurement beats a declaration). Footprints are the largest of the most recent
 * observations (memory a load took, peaks while running, a raise after an out-of-memory load), so
 * they follow the model down as well as up, but never below what a resident copy measurably takes
 * now: the planner must not count a loaded model as smaller than it is.
 */

interface Declared {
  device: ModelDevice;
  footprintMb: number;
  loadMs: number;
  unloadMs: number;
  label: string;
}

export interface ModelEstimatesOptions {
  catalog?: readonly CatalogModel[];
  /** Weight of a new measurement in the moving averages (0..1). */
  alpha?: number;
  /** Footprint observations kept per model; the estimate is their maximum (default 8). */
  footprintWindow?: number;
}

/** What survives a restart (model-estimates-file.ts writes it next to the job records). */
export interface LearnedEstimates {
  /** Per model: recent footprint observations, oldest first, MB; measured load and unload times, ms. */
  models: Record<string, { footprintMb?: number[]; loadMs?: number; unloadMs?: number }>;
}

export const DEFAULT_FOOTPRINT_WINDOW = 8;

export class ModelEstimates {
  private readonly catalog: readonly CatalogModel[];
  private readonly alpha: number;
  private readonly window: number;
  private readonly declared = new Map<string, Declared>();
  private readonly footprints = new Map<string, number[]>();
  /** MB a resident copy took when it was loaded (measured): the floor while it stays resident. */
  private readonly residentMb = new Map<string, number>();
  /** The engine's own observedPeakMb as last seen: only a new value counts as a new observation. */
  private readonly enginePeak = new Map<string, number>();
  private readonly loadMs = new Map<string, number>();
  private readonly unloadMs = new Map<string, number>();
  private readonly runMs = new Map<string, number>();
  /** Called after every change worth keeping (footprints, load and unload times). */
  onLearn: (() => void) | null = null;

  constructor(options: ModelEstimatesOptions = {}) {
    this.catalog = options.catalog ?? MODEL_CATALOG;
    this.alpha = options.alpha ?? 0.3;
    this.window = Math.max(1, Math.floor(options.footprintWindow ?? DEFAULT_FOOTPRINT_WINDOW));
    for (const m of this.catalog) this.declared.set(m.id, { device: m.device, footprintMb: m.footprintMb, loadMs: m.loadMs, unloadMs: m.unloadMs, label: m.label });
  }

  /** The engine's own declarations win over the catalog's; a new observed peak counts as a measurement. */
  declare(models: readonly ModelInfo[]): void {
    for (const m of models) {
      this.declared.set(m.id, { device: m.device, footprintMb: m.footprintMb, loadMs: m.loadMs, unloadMs: m.unloadMs, label: m.label });
      if (m.observedPeakMb !== null && m.observedPeakMb > 0 && this.enginePeak.get(m.id) !== m.observedPeakMb) {
        this.enginePeak.set(m.id, m.observedPeakMb);
        this.observePeak(m.id, m.observedPeakMb);
      }
    }
  }

  knows(model: string): boolean {
    return this.declared.has(model);
  }

  known(): string[] {
    return [...this.declared.keys()];
  }

  label(model: string): string {
    return this.declared.get(model)?.label ?? model;
  }

  device(model: string | null): ModelDevice {
    if (model === null) return 'cpu';
    return this.declared.get(model)?.device ?? 'gpu';
  }

  /**
   * MB the scheduler accounts for a model: the largest recent observation (else the declaration),
   * and at least what its resident copy took when it was loaded.
   */
  footprintMb(model: string): number {
    const seen = this.footprints.get(model);
    const base = seen?.length ? Math.max(...seen) : (this.declared.get(model)?.footprintMb ?? 0);
    return Math.max(base, this.residentMb.get(model) ?? 0);
  }

  /** The footprint observations behind footprintMb, oldest first (for tests and the persisted file). */
  footprintObservations(model: string): number[] {
    return [...(this.footprints.get(model) ?? [])];
  }

  expectedLoadMs(model: string): number {
    return this.loadMs.get(model) ?? this.declared.get(model)?.loadMs ?? 0;
  }

  expectedUnloadMs(model: string): number {
    return this.unloadMs.get(model) ?? this.declared.get(model)?.unloadMs ?? 0;
  }

  /** Expected run time of a stage, ms; null when neither a measurement nor a catalog figure exists. */
  expectedRunMs(model: string | null, kind: StageKind): number | null {
    const measured = this.runMs.get(runKey(model, kind));
    if (measured !== undefined) return measured;
    if (model === null) return catalogRun(undefined, kind).ms;
    const entry = catalogModel(model, this.catalog);
    return entry ? catalogRun(entry, kind).ms : null;
  }

  /** Peak memory a stage used while running on the model (engines that can tell). */
  observePeak(model: string, mb: number): void {
    this.observeFootprint(model, mb);
  }

  /**
   * What loading the model took, as the engine's memory report changed across the load. While the
   * model stays resident its estimate does not drop below this (forgetResident when it goes).
   */
  observeLoadMemory(model: string, mb: number): void {
    if (!(mb > 0) || !Number.isFinite(mb)) return;
    this.residentMb.set(model, Math.ceil(mb));
    this.observeFootprint(model, mb);
  }

  /** The model left the engine: its measured copy no longer sets a floor. */
  forgetResident(model: string): void {
    this.residentMb.delete(model);
  }

  /**
   * A load ran out of memory: the model needs more than the planner gave it. The estimate goes up to
   * at least `atLeastMb` (e.g. more than the card had free) and by a quarter at least; returns it.
   */
  raiseAfterOutOfMemory(model: string, atLeastMb: number): number {
    const current = this.footprintMb(model);
    const raised = Math.ceil(Math.max(current * 1.25, Number.isFinite(atLeastMb) ? atLeastMb : 0, 1));
    this.observeFootprint(model, raised);
    return this.footprintMb(model);
  }

  observeLoad(model: string, ms: number): void {
    if (this.average(this.loadMs, model, ms)) this.onLearn?.();
  }

  observeUnload(model: string, ms: number): void {
    if (this.average(this.unloadMs, model, ms)) this.onLearn?.();
  }

  observeRun(model: string | null, kind: StageKind, ms: number): void {
    this.average(this.runMs, runKey(model, kind), ms);
  }

  /** Footprints and load/unload times learnt so far (run times come back from the job history). */
  learned(): LearnedEstimates {
    const models: LearnedEstimates['models'] = {};
    const entry = (id: string) => (models[id] ??= {});
    for (const [id, seen] of this.footprints) if (seen.length) entry(id).footprintMb = [...seen];
    for (const [id, ms] of this.loadMs) entry(id).loadMs = Math.round(ms);
    for (const [id, ms] of this.unloadMs) entry(id).unloadMs = Math.round(ms);
    return { models };
  }

  /** Takes back what learned() gave before a restart; values that are not plausible are skipped. */
  restore(learned: LearnedEstimates): void {
    for (const [id, m] of Object.entries(learned.models)) {
      const seen = (m.footprintMb ?? []).filter((mb) => typeof mb === 'number' && mb > 0 && Number.isFinite(mb)).map((mb) => Math.ceil(mb));
      if (seen.length) this.footprints.set(id, seen.slice(-this.window));
      if (isDuration(m.loadMs)) this.loadMs.set(id, m.loadMs);
      if (isDuration(m.unloadMs)) this.unloadMs.set(id, m.unloadMs);
    }
  }

  private observeFootprint(model: string, mb: number): void {
    if (!(mb > 0) || !Number.isFinite(mb)) return;
    const seen = this.footprints.get(model) ?? [];
    seen.push(Math.ceil(mb));
    if (seen.length > this.window) seen.splice(0, seen.length - this.window);
    this.footprints.set(model, seen);
    this.onLearn?.();
  }

  private average(map: Map<string, number>, key: string, value: number): boolean {
    if (!(value >= 0) || !Number.isFinite(value)) return false;
    const prev = map.get(key);
    map.set(key, prev === undefined ? value : prev + this.alpha * (value - prev));
    return true;
  }
}

function isDuration(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && Number.isFinite(v);
}

function runKey(model: string | null, kind: StageKind): string {
  return `${model ?? '-'}\u0000${kind}`;
}
