import type { MemoryReport, ModelInfo, StageEngine } from '../../engine/stage-engine.js';
import { formatGb, waitForMemory, type MemoryWaitOptions } from './memory-wait.js';
import type { ModelEstimates } from './model-estimates.js';
import type { MemoryView, SchedulerEvent } from './scheduler-types.js';
import { isOutOfMemory, OutOfMemoryAtLoad, toShape } from './stage-errors.js';

export interface LoadOptions {
  /**
   * A client's load (not the scheduler's): instead of waiting for room, check the memory report once
   * and throw what this returns (null: it fits).
   */
  refuse?: (report: MemoryReport, needMb: number) => Error | null;
}

/**
 * Which models are resident, as the scheduler accounts them, and the only place that loads and
 * unloads through the engine. Before a GPU load it waits until the engine's memory report shows
 * room for the model inside the budget (freed memory may come back late); after a standalone
 * unload it waits until the memory really came back.
 */
export class ModelResidency {
  private readonly gpu = new Map<string, { loadedMb: number | null }>();
  private readonly cpu = new Set<string>();
  private last: MemoryReport | null = null;
  /**
   * After unloads that were not waited for (evictions right before a load): the used MB the report
   * must be down to before the memory change across a load says what the load took.
   */
  private settleTargetMb: number | null = null;
  /** Unloads in progress: the model still takes memory, but nothing may start on it. */
  private readonly unloading = new Map<string, Promise<void>>();
  /** GPU loads take turns (the scheduler's and clients'): room is checked and taken by one load at a time. */
  private gpuLoadTurn: Promise<void> = Promise.resolve();
  /** Set when the engine simulates VRAM: every memory view says so. */
  simulated = false;

  constructor(
    private readonly engine: StageEngine,
    private readonly estimates: ModelEstimates,
    private readonly budgetMb: () => number,
    private readonly wait: MemoryWaitOptions,
    private readonly emit: (event: SchedulerEvent) => void,
  ) {}

  residentGpu(): string[] {
    return [...this.gpu.keys()];
  }

  residentAll(): string[] {
    return [...this.gpu.keys(), ...this.cpu];
  }

  isResident(model: string): boolean {
    return this.gpu.has(model) || this.cpu.has(model);
  }

  isUnloading(model: string): boolean {
    return this.unloading.has(model);
  }

  /** Resident and not being unloaded: a stage may run on it. */
  isUsable(model: string): boolean {
    return this.isResident(model) && !this.unloading.has(model);
  }

  /** GPU models a stage may run on now (resident, not being unloaded). */
  usableGpu(): string[] {
    return [...this.gpu.keys()].filter((m) => !this.unloading.has(m));
  }

  lastReport(): MemoryReport | null {
    return this.last;
  }

  /** MB the accounting says is in use by resident GPU models. */
  accountedMb(): number {
    let sum = 0;
    for (const m of this.gpu.keys()) sum += this.estimates.footprintMb(m);
    return sum;
  }

  /** Take the engine's word for what is resident (at start, and after a crash). */
  async sync(): Promise<ModelInfo[]> {
    const models = await this.engine.models();
    this.estimates.declare(models);
    const gpuNow = new Set(models.filter((m) => m.resident && m.device === 'gpu').map((m) => m.id));
    for (const id of [...this.gpu.keys()]) {
      if (gpuNow.has(id)) continue;
      this.gpu.delete(id);
      this.estimates.forgetResident(id);
    }
    for (const id of gpuNow) if (!this.gpu.has(id)) this.gpu.set(id, { loadedMb: null });
    this.cpu.clear();
    for (const m of models) if (m.resident && m.device === 'cpu') this.cpu.add(m.id);
    await this.refreshMemory();
    return models;
  }

  async refreshMemory(): Promise<MemoryReport | null> {
    this.last = await this.engine.memory();
    this.emitMemory();
    return this.last;
  }

  /**
   * Loads a model. A GPU load waits for room inside the budget first, and what the engine's memory
   * report gained across the load becomes a footprint observation (the estimate follows what the
   * model really takes). A load that runs out of memory raises the model's estimate to more than the
   * card had free and rejects with OutOfMemoryAtLoad, so the scheduler can make room and try again.
   */
  async load(model: string, signal: AbortSignal, options: LoadOptions = {}): Promise<void> {
    // An unload of this model in progress ends first: loading it again must not race it.
    const unloading = this.unloading.get(model);
    if (unloading) await unloading.catch(() => undefined);
    if (this.isResident(model)) return;
    if (this.estimates.device(model) !== 'gpu') return this.loadNow(model, signal);
    const turn = this.gpuLoadTurn.then(async () => {
      signal.throwIfAborted();
      if (this.isResident(model)) return;
      if (options.refuse) {
        // A client's load: no waiting for room; refused at once when the model does not fit now.
        const report = await this.refreshMemory();
        const refusal = report ? options.refuse(report, this.estimates.footprintMb(model)) : null;
        if (refusal) throw refusal;
      }
      await this.loadNow(model, signal);
    });
    this.gpuLoadTurn = turn.catch(() => undefined);
    return turn;
  }

  private async loadNow(model: string, signal: AbortSignal): Promise<void> {
    const device = this.estimates.device(model);
    this.emit({ type: 'model', action: 'load', model, phase: 'start' });
    let before: MemoryReport | null = null;
    try {
      if (device === 'gpu') {
        const need = this.estimates.footprintMb(model);
        const budget = this.budgetMb();
        before = await waitForMemory(
          this.engine,
          (r) => r.usedMb + need <= budget,
          (r, ms) =>
            `Not enough free VRAM to load ${this.estimates.label(model)}: it needs ${formatGb(need)}, and after ${Math.round(ms / 1000)} s ` +
            `the GPU still shows ${formatGb(r.usedMb)} of ${formatGb(r.totalMb)} in use (budget ${formatGb(budget)}). ` +
            'Another program may be using the GPU, or an unload did not give its memory back; close it or restart the engine.',
          this.wait,
          (r) => (this.last = r),
        );
      }
      signal.throwIfAborted();
      // Memory an eviction frees late would come back during the load and hide part of what it took.
      const measurable = before !== null && (this.settleTargetMb === null || before.usedMb <= this.settleTargetMb);
      if (device === 'gpu') this.settleTargetMb = null;
      const t0 = performance.now();
      await this.engine.load(model, { signal });
      const ms = performance.now() - t0;
      this.estimates.observeLoad(model, ms);
      if (device === 'gpu') {
        const after = await this.refreshMemory();
        const loadedMb = measurable && before && after ? after.usedMb - before.usedMb : null;
        // Only a gain counts: a report that did not move says nothing about the model.
        if (loadedMb !== null && loadedMb > 0) this.estimates.observeLoadMemory(model, loadedMb);
        this.gpu.set(model, { loadedMb: loadedMb !== null ? Math.max(0, loadedMb) : null });
      } else {
        this.cpu.add(model);
      }
      this.emit({ type: 'model', action: 'load', model, phase: 'done', ms: Math.round(ms) });
      this.emitMemory();
    } catch (e) {
      this.emit({ type: 'model', action: 'load', model, phase: 'failed' });
      // A load that failed or was stopped half-way may leave anything behind: ask the engine.
      await this.sync().catch(() => undefined);
      if (device === 'gpu' && !signal.aborted && isOutOfMemory(e)) {
        // It needed more than the card had free when it started loading.
        const free = before ? before.totalMb - before.usedMb : Number.NaN;
        const estimateMb = this.estimates.raiseAfterOutOfMemory(model, free + 1);
        throw new OutOfMemoryAtLoad(model, estimateMb, toShape(e).message);
      }
      throw e;
    }
  }

  /**
   * Unloads a model. With `waitFreed`, resolves only once the engine's report shows its memory back
   * (at least 80 % of what it took: allocators keep some slack).
   */
  async unload(model: string, options: { waitFreed: boolean }): Promise<void> {
    const pending = this.unloading.get(model);
    if (pending) return pending;
    if (!this.gpu.has(model) && !this.cpu.has(model)) return;
    // Marked before anything else happens: a run or a claim checking the model right after sees it going.
    const work = Promise.resolve().then(() => this.unloadNow(model, options));
    this.unloading.set(model, work);
    try {
      await work;
    } finally {
      this.unloading.delete(model);
    }
  }

  private async unloadNow(model: string, options: { waitFreed: boolean }): Promise<void> {
    const gpuEntry = this.gpu.get(model);
    this.emit({ type: 'model', action: 'unload', model, phase: 'start' });
    try {
      const before = gpuEntry ? await this.engine.memory() : null;
      const expected = gpuEntry ? Math.min(this.estimates.footprintMb(model), gpuEntry.loadedMb ?? Infinity) * 0.8 : 0;
      const t0 = performance.now();
      await this.engine.unload(model);
      const ms = performance.now() - t0;
      this.estimates.observeUnload(model, ms);
      this.gpu.delete(model);
      this.cpu.delete(model);
      this.estimates.forgetResident(model);
      if (before && !options.waitFreed) {
        // Not waited for: until the report drops this far, a load measured meanwhile would look too small.
        this.settleTargetMb = Math.min(this.settleTargetMb ?? Infinity, before.usedMb) - expected;
      }
      if (before && options.waitFreed) {
        const target = before.usedMb - expected;
        await waitForMemory(
          this.engine,
          (r) => r.usedMb <= target,
          (r, waited) =>
            `Unloading ${this.estimates.label(model)} did not give its memory back: after ${Math.round(waited / 1000)} s the GPU still ` +
            `shows ${formatGb(r.usedMb)} in use (expected at most ${formatGb(Math.max(0, target))}). Restart the engine to reclaim it.`,
          this.wait,
          (r) => (this.last = r),
        );
      } else {
        await this.refreshMemory();
      }
      this.emit({ type: 'model', action: 'unload', model, phase: 'done', ms: Math.round(ms) });
      this.emitMemory();
    } catch (e) {
      this.emit({ type: 'model', action: 'unload', model, phase: 'failed' });
      // What is resident is now uncertain: ask the engine.
      await this.sync().catch(() => undefined);
      throw e;
    }
  }

  private emitMemory(): void {
    this.emit({ type: 'memory', memory: this.view() });
  }

  view(): MemoryView {
    return {
      gpu: this.last,
      resident: this.residentAll().map((id) => ({ id, label: this.estimates.label(id), device: this.estimates.device(id), footprintMb: this.estimates.footprintMb(id) })),
      simulated: this.simulated || (this.last?.simulated ?? false),
    };
  }
}
