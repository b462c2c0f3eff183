import type { ModelDevice, ModelInfo, StageKind } from '../../engine/stage-engine.js';
import { MODEL_CATALOG, catalogModel, catalogRun, type CatalogModel } from './model-catalog.js';

/**
 * What the scheduler believes about each model: the declared figures (the engine's models(), else
 * the catalog), corrected by measurements. Times are exponential moving averages seeded by the first
 * measurement (a measurement beats a declaration); footprints take the largest peak observed, because
 * a peak that happened once can happen again.
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
}

export class ModelEstimates {
  private readonly catalog: readonly CatalogModel[];
  private readonly alpha: number;
  private readonly declared = new Map<string, Declared>();
  private readonly peakMb = new Map<string, number>();
  private readonly loadMs = new Map<string, number>();
  private readonly unloadMs = new Map<string, number>();
  private readonly runMs = new Map<string, number>();

  constructor(options: ModelEstimatesOptions = {}) {
    this.catalog = options.catalog ?? MODEL_CATALOG;
    this.alpha = options.alpha ?? 0.3;
    for (const m of this.catalog) this.declared.set(m.id, { device: m.device, footprintMb: m.footprintMb, loadMs: m.loadMs, unloadMs: m.unloadMs, label: m.label });
  }

  /** The engine's own declarations win over the catalog's; its observed peaks count as measurements. */
  declare(models: readonly ModelInfo[]): void {
    for (const m of models) {
      this.declared.set(m.id, { device: m.device, footprintMb: m.footprintMb, loadMs: m.loadMs, unloadMs: m.unloadMs, label: m.label });
      if (m.observedPeakMb !== null && m.observedPeakMb > 0) this.observePeak(m.id, m.observedPeakMb);
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

  /** MB the scheduler accounts for a resident model: the largest observed peak, else the declaration. */
  footprintMb(model: string): number {
    return this.peakMb.get(model) ?? this.declared.get(model)?.footprintMb ?? 0;
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

  observePeak(model: string, mb: number): void {
    if (!(mb > 0)) return;
    this.peakMb.set(model, Math.max(this.peakMb.get(model) ?? 0, Math.ceil(mb)));
  }

  observeLoad(model: string, ms: number): void {
    this.average(this.loadMs, model, ms);
  }

  observeUnload(model: string, ms: number): void {
    this.average(this.unloadMs, model, ms);
  }

  observeRun(model: string | null, kind: StageKind, ms: number): void {
    this.average(this.runMs, runKey(model, kind), ms);
  }

  private average(map: Map<string, number>, key: string, value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return;
    const prev = map.get(key);
    map.set(key, prev === undefined ? value : prev + this.alpha * (value - prev));
  }
}

function runKey(model: string | null, kind: StageKind): string {
  return `${model ?? '-'}\u0000${kind}`;
}
