import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type AppErrorShape } from '../../../preload/contract/index.js';
import type { StageEngine, StageResult } from '../../engine/stage-engine.js';
import { backoffMs, DEFAULT_RETRY, type RetryOptions } from './backoff.js';
import { DEFAULT_STALL_WATCH, stallLimitMs, withHealthWatch, type StallWatchOptions } from './health-watch.js';
import { JobBook, type InFlight, type JobEntry } from './job-book.js';
import { dependenciesOf, unfinishedAncestors, validateJobSpec } from './job-graph.js';
import { stageWeights } from './job-progress.js';
import type { JobStore } from './job-store.js';
import { DEFAULT_MEMORY_WAIT, formatGb, type MemoryWaitOptions } from './memory-wait.js';
import type { CatalogModel } from './model-catalog.js';
import { LearnedEstimatesKeeper } from './learned-estimates.js';
import { inUseMessage, ModelClaims, ModelConflict, noRoomMessage, unloadingMessage, type ModelArbiter, type ModelUse } from './model-arbiter.js';
import { ModelEstimates } from './model-estimates.js';
import { ModelResidency } from './model-residency.js';
import { planNext } from './planner.js';
import type { GpuAction, PlannerStage, SchedulingPolicy, StageRef } from './planner-types.js';
import { POLICIES, type PolicyName } from './policies.js';
import { recoverJobs } from './recovery.js';
import { resolveInputs } from './resolve-inputs.js';
import type { JobRecord, JobScheduler, JobSpec, MemoryView, SchedulerEvent, StageRecord, StageSpec } from './scheduler-types.js';
import type { MemoryReport } from '../../engine/stage-engine.js';
import { classifyStageError, GaveUp, RunConnectionLost, type OutOfMemoryAtLoad } from './stage-errors.js';

export interface SchedulerOptions {
  engine: StageEngine;
  store: JobStore;
  /** VRAM the scheduler may fill, MB; default: the engine's reported budget (unlimited without a GPU). */
  budgetMb?: number;
  policy?: PolicyName | SchedulingPolicy;
  /** Overrides the policy's starvation guard. */
  starvationBoundaries?: number;
  retry?: Partial<RetryOptions>;
  memoryWait?: Partial<MemoryWaitOptions>;
  /** Poll the engine's health this often while a stage runs; unhealthy stops the stage as a crash. 0 = off. */
  healthPollMs?: number;
  /**
   * The stall watchdog: a running stage that reports no progress for max(factor × its expected run
   * time, floorMs) is stopped as a crash ("no progress for N s"), even while the engine says it is
   * healthy. Default DEFAULT_STALL_WATCH (5 ×, at least 2 min); false turns it off.
   */
  stallWatch?: Partial<StallWatchOptions> | false;
  /** After a crash, wait this long for the engine to be healthy again before running the stage again. */
  crashRecoveryMs?: number;
  /** How long a cancel or close waits for the engine to stop a running stage. */
  cancelGraceMs?: number;
  /** Finished jobs kept on disk and in list(). */
  historyLimit?: number;
  persistIntervalMs?: number;
  catalog?: readonly CatalogModel[];
  now?: () => number;
  log?: (message: string) => void;
}

/** The scheduler is also the arbiter of its engine's models for clients of the same engine (adstudio serve). */
export interface SchedulerRuntime extends JobScheduler, ModelArbiter {
  /** Resolves when no job is active and no lane is busy. */
  idle(): Promise<void>;
  readonly budgetMb: number;
  readonly estimates: ModelEstimates;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

/**
 * The VRAM-aware stage scheduler (issue #6, DESIGN.md §7). Reads the job records left on disk,
 * asks the engine what is resident, and starts running. Plain Node: the Jobs panel, the CLI and the
 * engine server use it through JobScheduler.
 */
export async function createScheduler(options: SchedulerOptions): Promise<SchedulerRuntime> {
  const scheduler = new StageScheduler(options);
  await scheduler.start();
  return scheduler;
}

class StageScheduler implements SchedulerRuntime {
  readonly estimates: ModelEstimates;
  budgetMb = Number.POSITIVE_INFINITY;
  private readonly engine: StageEngine;
  private readonly store: JobStore;
  private readonly policy: SchedulingPolicy;
  private readonly retryOptions: RetryOptions;
  private readonly residency: ModelResidency;
  private readonly book: JobBook;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly listeners = new Set<(event: SchedulerEvent) => void>();
  private readonly cleanup = new Set<string>();
  private idleWaiters: Array<() => void> = [];
  private engineModels = new Set<string>();
  private simulated = false;
  private busy = { gpu: 0, cpu: 0 };
  private pumpQueued = false;
  private backoffTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private closed = false;
  private closePromise: Promise<void> | null = null;
  /** Aborted when close() begins: waits between reattach attempts end at once. */
  private readonly closingSignal = new AbortController();
  private keeper: LearnedEstimatesKeeper | null = null;
  /** Runs outside the scheduler (a server's POST /v1/stages) and the models they hold. */
  private readonly claims = new ModelClaims();
  private readonly stallWatch: StallWatchOptions | null;

  constructor(private readonly options: SchedulerOptions) {
    this.engine = options.engine;
    this.store = options.store;
    const base = typeof options.policy === 'object' ? options.policy : POLICIES[options.policy ?? 'planner'];
    this.policy = { ...base, starvationBoundaries: options.starvationBoundaries ?? base.starvationBoundaries };
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.stallWatch = options.stallWatch === false ? null : { ...DEFAULT_STALL_WATCH, ...options.stallWatch };
    this.claims.onRelease = () => this.pump();
    this.estimates = new ModelEstimates({ catalog: options.catalog });
    const emit = (event: SchedulerEvent) => this.emit(event);
    this.residency = new ModelResidency(this.engine, this.estimates, () => this.budgetMb, { ...DEFAULT_MEMORY_WAIT, ...options.memoryWait }, emit);
    this.book = new JobBook(this.store, this.estimates, () => new Set(this.residency.residentAll()), emit, {
      historyLimit: options.historyLimit ?? 200,
      persistIntervalMs: options.persistIntervalMs ?? 1_000,
      now: this.now,
      log: this.log,
    });
  }

  async start(): Promise<void> {
    const caps = await this.engine.capabilities();
    this.simulated = caps.simulated;
    this.residency.simulated = caps.simulated;
    // What earlier runs learnt about the models (footprints, load times) before the engine's word.
    const keeper = new LearnedEstimatesKeeper(this.store, caps.engine, this.estimates, this.log);
    await keeper.restore();
    this.keeper = keeper;
    this.estimates.onLearn = () => keeper.schedule();
    const models = await this.residency.sync();
    this.engineModels = new Set(models.map((m) => m.id));
    const report = this.residency.lastReport();
    let budget = this.options.budgetMb ?? report?.budgetMb ?? Number.POSITIVE_INFINITY;
    if (report && budget > report.totalMb) budget = report.totalMb;
    this.budgetMb = budget;
    const { reattach } = await recoverJobs({
      store: this.store,
      book: this.book,
      estimates: this.estimates,
      canReattach: typeof this.engine.reattach === 'function',
      validate: (spec) => validateJobSpec(spec, (id) => this.engineModels.has(id), () => [...this.engineModels]),
      log: this.log,
    });
    for (const { entry, stageId } of reattach) this.startReattach(entry, stageId);
    this.pump();
  }

  // ---- public API -------------------------------------------------------------------------

  async submit(input: JobSpec): Promise<JobRecord> {
    if (this.closing) throw new AppError('engine-busy', 'adstudio is shutting down; submit the job again after it restarts.');
    const spec = structuredClone(input);
    await this.refreshModelsIfUnknown(spec);
    validateJobSpec(spec, (id) => this.engineModels.has(id), () => [...this.engineModels]);
    for (const stage of spec.stages) {
      if (stage.model === null || this.estimates.device(stage.model) !== 'gpu') continue;
      const need = this.estimates.footprintMb(stage.model);
      if (need > this.budgetMb) {
        throw new AppError('bad-request', `Stage "${stage.id}" needs ${formatGb(need)} of VRAM for ${stage.model}, more than the budget of ${formatGb(this.budgetMb)}.`);
      }
    }
    const record = this.newRecord(spec);
    return this.enqueue(record);
  }

  get(jobId: string): JobRecord | null {
    return this.book.get(jobId);
  }

  list(filter?: { active?: boolean }): JobRecord[] {
    return this.book.list(filter);
  }

  async cancel(jobId: string): Promise<JobRecord> {
    const entry = this.book.active.get(jobId);
    if (!entry) {
      const record = this.book.get(jobId);
      if (!record) throw new AppError('not-found', `There is no job ${jobId}.`);
      return record;
    }
    entry.cancelRequested = true;
    const settling: Promise<void>[] = [];
    for (const inflight of entry.inFlight.values()) {
      const stage = this.book.stage(entry, inflight.stageId);
      // A load another job also waits for goes on; the cancelled job just will not run on it.
      if (stage.status === 'loading' && inflight.model !== null && this.neededByOthers(inflight.model, jobId)) continue;
      inflight.controller.abort();
      settling.push(inflight.settled);
    }
    // Stopped stages end at their next step; a stage that ignores the signal is given up after the grace.
    if (settling.length > 0) await raceTimeout(Promise.all(settling), this.options.cancelGraceMs ?? 10_000);
    this.finalizeCancelled(entry);
    return this.book.get(jobId) as JobRecord;
  }

  async retry(jobId: string): Promise<JobRecord> {
    if (this.book.active.has(jobId)) throw new AppError('bad-request', 'The job is still queued or running; cancel it first.');
    const old = this.book.historyRecord(jobId);
    if (!old) throw new AppError('not-found', `There is no job ${jobId}.`);
    if (old.status === 'done') throw new AppError('bad-request', 'The job finished; there is nothing to retry.');
    if (this.closing) throw new AppError('engine-busy', 'adstudio is shutting down; retry the job after it restarts.');
    const spec = structuredClone(old.spec);
    validateJobSpec(spec, (id) => this.engineModels.has(id), () => [...this.engineModels]);
    const record = this.newRecord(spec);
    record.stages = record.stages.map((fresh, i) => {
      const prev = old.stages[i];
      return prev?.status === 'done' ? { ...structuredClone(prev), note: `Kept from job ${old.id}.` } : fresh;
    });
    return this.enqueue(record);
  }

  memory(): MemoryView {
    return this.residency.view();
  }

  subscribe(listener: (event: SchedulerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutDown();
    return this.closePromise;
  }

  // ---- the engine's models for clients outside the scheduler (ModelArbiter) --------------

  async loadForClient(model: string, signal: AbortSignal): Promise<void> {
    if (this.closing) throw new AppError('engine-busy', 'adstudio is shutting down; load the model after it restarts.');
    if (!this.estimates.knows(model)) await this.residency.sync();
    // Through the scheduler's own accounting: the model counts against the budget for its plans too,
    // and loads take turns with its own, so room is checked and taken by one load at a time.
    await this.residency.load(model, signal, { refuse: (report, needMb) => (report.usedMb + needMb > this.budgetMb ? new ModelConflict(this.noRoom(model, needMb, report)) : null) });
    this.pump();
  }

  async unloadForClient(model: string): Promise<void> {
    const uses = this.modelUses(model);
    if (uses.length > 0) throw new ModelConflict(inUseMessage({ id: model, label: this.estimates.label(model) }, uses));
    if (this.residency.isResident(model)) await this.residency.unload(model, { waitFreed: false });
    // Not in the accounting (loaded behind the scheduler's back): the engine's word, then re-read.
    else await this.engine.unload(model).then(() => this.residency.sync());
    this.pump();
  }

  claimModel(model: string, owner: string): () => void {
    if (this.residency.isUnloading(model)) throw new ModelConflict(unloadingMessage({ id: model, label: this.estimates.label(model) }));
    return this.claims.claim(model, owner);
  }

  modelUses(model?: string): ModelUse[] {
    const uses: ModelUse[] = [];
    for (const entry of this.book.active.values()) {
      for (const inflight of entry.inFlight.values()) {
        if (inflight.model === null || (model !== undefined && inflight.model !== model)) continue;
        uses.push({ model: inflight.model, owner: `job "${entry.record.spec.title}" (${entry.record.id}), stage "${inflight.stageId}"` });
      }
    }
    return [...uses, ...this.claims.uses(model)];
  }

  private noRoom(model: string, needMb: number, report: MemoryReport): string {
    const resident = this.residency.residentGpu().map((id) => ({
      id,
      label: this.estimates.label(id),
      mb: this.estimates.footprintMb(id),
      users: this.modelUses(id).map((u) => u.owner),
    }));
    const others = [...this.engineModels]
      .filter((id) => id !== model && this.estimates.device(id) === 'gpu' && !this.residency.isResident(id))
      .map((id) => ({ id, mb: this.estimates.footprintMb(id) }));
    return noRoomMessage({ model: { id: model, label: this.estimates.label(model) }, needMb, usedMb: report.usedMb, budgetMb: this.budgetMb, resident, others });
  }

  // ---- jobs --------------------------------------------------------------------------------

  private newRecord(spec: JobSpec): JobRecord {
    return {
      id: randomUUID(),
      spec,
      status: 'queued',
      progress: 0,
      etaSeconds: null,
      stages: spec.stages.map((s) => ({
        id: s.id,
        status: 'waiting',
        step: 0,
        totalSteps: 0,
        attempts: 0,
        startedAt: null,
        finishedAt: null,
        outputs: {},
        madeBy: null,
        error: null,
        remoteRunId: null,
        note: null,
      })),
      createdAt: this.now(),
      startedAt: null,
      finishedAt: null,
      error: null,
      simulated: this.simulated,
    };
  }

  private async enqueue(record: JobRecord): Promise<JobRecord> {
    const entry = this.book.add(record, stageWeights(record.spec, this.estimates));
    this.book.touch(entry, false);
    this.pump();
    // The record is on disk before the caller hears of it: a crash right after submit loses nothing.
    await this.store.save(structuredClone(record));
    return this.book.get(record.id) as JobRecord;
  }

  private async refreshModelsIfUnknown(spec: JobSpec): Promise<void> {
    if (spec.stages?.every((s) => s.model === null || this.engineModels.has(s.model))) return;
    const models = await this.residency.sync();
    this.engineModels = new Set(models.map((m) => m.id));
  }

  private neededByOthers(model: string, jobId: string): boolean {
    for (const [id, entry] of this.book.active) {
      if (id === jobId || entry.cancelRequested) continue;
      if (entry.record.spec.stages.some((s, i) => s.model === model && !TERMINAL.has(entry.record.stages[i]?.status ?? 'done'))) return true;
    }
    return false;
  }

  private finalizeCancelled(entry: JobEntry): void {
    if (!this.book.active.has(entry.record.id)) return;
    const record = entry.record;
    const models = new Set<string>();
    record.spec.stages.forEach((spec, i) => {
      const stage = record.stages[i] as StageRecord;
      if (spec.model !== null) models.add(spec.model);
      if (TERMINAL.has(stage.status)) return;
      stage.status = 'cancelled';
      stage.finishedAt = this.now();
    });
    record.status = 'cancelled';
    this.book.finish(entry);
    // Cancelling gives memory back: every model of this job that no other active job needs.
    for (const m of models) if (this.residency.isResident(m) && !this.neededByOthers(m, record.id)) this.cleanup.add(m);
    this.pump();
  }

  private failStage(entry: JobEntry, stageId: string, error: AppErrorShape): void {
    if (!this.book.active.has(entry.record.id)) return;
    const record = entry.record;
    const stage = this.book.stage(entry, stageId);
    stage.status = 'failed';
    stage.error = error;
    stage.finishedAt = this.now();
    for (const other of record.stages) if (other.status === 'waiting') other.status = 'cancelled';
    for (const inflight of entry.inFlight.values()) if (inflight.stageId !== stageId) inflight.controller.abort();
    const spec = this.specOf(entry, stageId);
    record.status = 'failed';
    record.error = { code: error.code, message: `Stage "${stageId}"${spec.model ? ` (${spec.model})` : ''}: ${error.message}` };
    this.book.finish(entry);
    this.pump();
  }

  private requeue(entry: JobEntry, stageId: string, note: string): void {
    const stage = this.book.stage(entry, stageId);
    stage.status = 'waiting';
    stage.step = 0;
    stage.totalSteps = 0;
    stage.startedAt = null;
    stage.remoteRunId = null;
    stage.note = note;
    this.book.touch(entry, true);
  }

  private specOf(entry: JobEntry, stageId: string): StageSpec {
    return entry.record.spec.stages.find((s) => s.id === stageId) as StageSpec;
  }

  private markStarted(entry: JobEntry): void {
    if (entry.record.startedAt === null) entry.record.startedAt = this.now();
    entry.record.status = 'running';
  }

  // ---- planning ----------------------------------------------------------------------------

  private pump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pumpNow();
    });
  }

  private laneFree(lane: 'gpu' | 'cpu'): boolean {
    if (!this.policy.overlapCpu) return this.busy.gpu + this.busy.cpu === 0;
    return this.busy[lane] === 0;
  }

  private pumpNow(): void {
    if (this.closing) return;
    if (this.cleanup.size > 0 && this.laneFree('gpu')) this.runCleanup();
    const now = performance.now();
    const stages = this.plannerStages(now);
    const plan = planNext({
      stages,
      // A model being unloaded (a client asked) is not there to run on; a load waits for its memory.
      resident: this.residency.usableGpu(),
      pinned: this.claims.models(),
      footprintMb: (m) => this.estimates.footprintMb(m),
      budgetMb: this.budgetMb,
      free: { gpu: this.laneFree('gpu'), cpu: this.laneFree('cpu') },
      policy: this.policy,
    });
    if (plan.gpu) this.startGpu(plan.gpu, stages);
    if (plan.cpu) this.startCpu(plan.cpu, stages);
    this.armBackoffTimer(now);
    this.checkIdle();
  }

  private laneOf(model: string | null): 'gpu' | 'cpu' {
    return model === null || this.estimates.device(model) === 'cpu' ? 'cpu' : 'gpu';
  }

  private plannerStages(now: number): PlannerStage[] {
    const out: PlannerStage[] = [];
    for (const entry of this.book.active.values()) {
      if (entry.cancelRequested) continue;
      const record = entry.record;
      const status = new Map(record.stages.map((s) => [s.id, s.status]));
      record.spec.stages.forEach((spec, index) => {
        if (status.get(spec.id) !== 'waiting' || entry.inFlight.has(spec.id)) return;
        const depsDone = dependenciesOf(spec).every((d) => status.get(d) === 'done');
        const notBefore = entry.notBefore.get(spec.id) ?? 0;
        out.push({
          jobId: record.id,
          stageId: spec.id,
          model: spec.model,
          lane: this.laneOf(spec.model),
          priority: record.spec.priority,
          arrival: entry.seq,
          index,
          ready: depsDone && notBefore <= now,
          depth: depsDone ? 0 : unfinishedAncestors(record, spec.id),
          waited: entry.waited.get(spec.id) ?? 0,
        });
      });
    }
    return out;
  }

  /** Every other ready stage of that lane was passed over once more (the starvation guard counts it). */
  private bumpWaited(lane: 'gpu' | 'cpu', chosen: StageRef, stages: PlannerStage[]): void {
    for (const s of stages) {
      if (!s.ready || s.lane !== lane || (s.jobId === chosen.jobId && s.stageId === chosen.stageId)) continue;
      const entry = this.book.active.get(s.jobId);
      entry?.waited.set(s.stageId, (entry.waited.get(s.stageId) ?? 0) + 1);
    }
  }

  private armBackoffTimer(now: number): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.book.active.values()) for (const t of entry.notBefore.values()) if (t > now) next = Math.min(next, t);
    if (Number.isFinite(next)) this.backoffTimer = setTimeout(() => this.pump(), Math.max(1, next - now));
  }

  private checkIdle(): void {
    if (this.book.active.size > 0 || this.busy.gpu + this.busy.cpu > 0 || this.cleanup.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- lanes -------------------------------------------------------------------------------

  private launch(entry: JobEntry, stageId: string, lane: 'gpu' | 'cpu', model: string | null, work: (f: InFlight) => Promise<void>, after?: () => Promise<void>): void {
    const inflight: InFlight = { stageId, lane, model, controller: new AbortController(), settled: Promise.resolve(), detached: false };
    entry.inFlight.set(stageId, inflight);
    this.busy[lane]++;
    inflight.settled = (async () => {
      try {
        await work(inflight);
      } catch (e) {
        await this.onStageError(entry, stageId, e);
      } finally {
        entry.inFlight.delete(stageId);
        if (after && !this.closing) await after().catch((e: Error) => this.log(`After stage ${stageId}: ${e.message}`));
        this.busy[lane]--;
        this.pump();
      }
    })();
  }

  private startGpu(action: GpuAction, stages: PlannerStage[]): void {
    const entry = this.book.active.get(action.stage.jobId) as JobEntry;
    const { stageId } = action.stage;
    if (action.kind === 'fail') {
      this.failStage(entry, stageId, { code: 'engine', message: action.reason });
      return;
    }
    this.bumpWaited('gpu', action.stage, stages);
    const model = action.model;
    this.launch(
      entry,
      stageId,
      'gpu',
      model,
      async (inflight) => {
        if (action.load) {
          this.book.stage(entry, stageId).status = 'loading';
          this.markStarted(entry);
          this.book.touch(entry, true);
          for (const victim of action.evict) {
            // A client's run started on it since the plan was made: wait for it instead of pulling the model away.
            const holder = this.claims.uses(victim)[0];
            if (holder) {
              this.requeue(entry, stageId, `Waiting for room: ${this.estimates.label(victim)} is in use by ${holder.owner}.`);
              return;
            }
            await this.residency.unload(victim, { waitFreed: false });
          }
          inflight.controller.signal.throwIfAborted();
          await this.residency.load(model, inflight.controller.signal);
        }
        await this.runOnEngine(entry, stageId, inflight);
      },
      this.policy.keepWarm ? undefined : async () => (this.claims.has(model) ? undefined : this.residency.unload(model, { waitFreed: true })),
    );
  }

  private startCpu(ref: StageRef, stages: PlannerStage[]): void {
    const entry = this.book.active.get(ref.jobId) as JobEntry;
    const spec = this.specOf(entry, ref.stageId);
    this.bumpWaited('cpu', ref, stages);
    this.launch(entry, ref.stageId, 'cpu', spec.model, async (inflight) => {
      if (spec.model !== null && !this.residency.isUsable(spec.model)) {
        this.book.stage(entry, ref.stageId).status = 'loading';
        this.markStarted(entry);
        this.book.touch(entry, true);
        await this.residency.load(spec.model, inflight.controller.signal);
      }
      await this.runOnEngine(entry, ref.stageId, inflight);
    });
  }

  /** After a restart: follow a run the engine may still be doing, by the id the record kept. */
  private startReattach(entry: JobEntry, stageId: string): void {
    const spec = this.specOf(entry, stageId);
    const stage = this.book.stage(entry, stageId);
    const runId = stage.remoteRunId as string;
    this.launch(entry, stageId, this.laneOf(spec.model), spec.model, async (inflight) => {
      const t0 = performance.now();
      let result: StageResult | null;
      try {
        result = await this.engine.reattach!(runId, this.stageContext(entry, stage, inflight));
      } catch (e) {
        if (entry.cancelRequested || this.closing) throw e;
        if (e instanceof RunConnectionLost) {
          result = await this.followAgain(entry, stageId, inflight, runId, e);
        } else {
          const message = e instanceof Error ? e.message : String(e);
          this.requeue(entry, stageId, `Could not pick up the run after the restart (${message}); it runs again from the start.`);
          return;
        }
      }
      if (result) this.completeStage(entry, stageId, result, performance.now() - t0, false);
    });
  }

  /**
   * The engine lost touch with run `runId` while it may still be going (RunConnectionLost): follow
   * the same run again, with backoff, instead of starting the stage a second time (double GPU work).
   * The stage keeps its run id, so a restart meanwhile picks the run up too. Resolves with the run's
   * result, or null when the engine no longer knows the run (then the stage is queued to run again).
   */
  private async followAgain(entry: JobEntry, stageId: string, inflight: InFlight, runId: string, lost: AppError): Promise<StageResult | null> {
    const stage = this.book.stage(entry, stageId);
    const max = this.retryOptions.maxAttempts;
    stage.remoteRunId = runId;
    let reason = lost.message;
    for (let attempt = 1; ; attempt++) {
      if (attempt >= max) {
        throw new GaveUp(
          'engine-busy',
          `Lost the engine while it ran this stage (run ${runId}) and could not reach the run again in ${attempt} attempts (${reason}). ` +
            'It may still be running on the engine; it was not started a second time. Check the engine, then retry the job.',
        );
      }
      const wait = backoffMs(attempt, this.retryOptions);
      stage.note = `Lost touch with the engine while run ${runId} was going (${reason}); following the same run again in ${formatSeconds(wait)} (attempt ${attempt + 1} of ${max}).`;
      this.book.touch(entry, true);
      await sleep(wait, undefined, { signal: AbortSignal.any([inflight.controller.signal, this.closingSignal.signal]) }).catch(() => undefined);
      if (inflight.controller.signal.aborted) {
        // Cancelled while out of touch: still ask the engine to stop the run (best effort; cancel() bounds the wait).
        await this.engine.reattach!(runId, { signal: inflight.controller.signal }).catch(() => undefined);
        inflight.controller.signal.throwIfAborted();
      }
      // Closing: leave the run to the engine; the next start picks it up by its id.
      if (this.closing) throw lost;
      try {
        const result = await this.engine.reattach!(runId, this.stageContext(entry, stage, inflight));
        stage.note = `Picked up run ${runId} again after losing touch with the engine.`;
        return result;
      } catch (e) {
        if (e instanceof RunConnectionLost && !entry.cancelRequested) {
          reason = e.message;
          continue;
        }
        if (e instanceof AppError && e.code === 'not-found' && !entry.cancelRequested && !this.closing) {
          this.requeue(entry, stageId, `The engine no longer knows run ${runId} (${e.message}); the stage runs again from the start.`);
          return null;
        }
        throw e;
      }
    }
  }

  private runCleanup(): void {
    const models = [...this.cleanup];
    this.cleanup.clear();
    this.busy.gpu++;
    void (async () => {
      try {
        for (const m of models) {
          if (!this.residency.isResident(m) || this.neededByOthers(m, '') || this.claims.has(m)) continue;
          await this.residency.unload(m, { waitFreed: true }).catch((e: Error) => this.log(`Could not unload ${m}: ${e.message}`));
        }
      } finally {
        this.busy.gpu--;
        this.pump();
      }
    })();
  }

  // ---- one stage on the engine --------------------------------------------------------------

  private stageContext(entry: JobEntry, stage: StageRecord, inflight: InFlight) {
    return {
      signal: inflight.controller.signal,
      onProgress: (step: number, total: number) => {
        if (inflight.controller.signal.aborted || this.closed || stage.status !== 'running') return;
        stage.totalSteps = Math.max(0, Math.floor(total));
        stage.step = Math.max(stage.step, Math.min(Math.floor(step), stage.totalSteps));
        this.book.touch(entry, false);
      },
      onRunId: (runId: string) => {
        if (this.closed) return;
        stage.remoteRunId = runId;
        this.book.touch(entry, true);
      },
    };
  }

  private async runOnEngine(entry: JobEntry, stageId: string, inflight: InFlight): Promise<void> {
    const spec = this.specOf(entry, stageId);
    const stage = this.book.stage(entry, stageId);
    if (entry.cancelRequested) throw new AppError('cancelled', 'Cancelled.');
    const inputs = resolveInputs(entry.record, spec);
    stage.status = 'running';
    stage.startedAt = this.now();
    stage.attempts++;
    stage.step = 0;
    stage.totalSteps = 0;
    stage.error = null;
    this.markStarted(entry);
    this.book.touch(entry, true);
    const t0 = performance.now();
    let result: StageResult | null;
    let measured = true;
    const expectedMs = this.estimates.expectedRunMs(spec.model, spec.kind);
    try {
      result = await withHealthWatch(
        this.engine,
        inflight.controller,
        {
          pollMs: this.options.healthPollMs ?? 5_000,
          graceMs: this.options.cancelGraceMs ?? 10_000,
          stallMs: this.stallWatch ? stallLimitMs(expectedMs, this.stallWatch) : 0,
          expectedMs,
        },
        (signal, progressed) => {
          const context = this.stageContext(entry, stage, inflight);
          return this.engine.runStage(
            { kind: spec.kind, model: spec.model, inputs, outputs: spec.outputs, ...(spec.params ? { params: spec.params } : {}) },
            {
              ...context,
              signal,
              // Any progress call counts for the stall watchdog, even one that repeats the same step.
              onProgress: (step, total) => {
                progressed();
                context.onProgress(step, total);
              },
            },
          );
        },
      );
    } catch (e) {
      // The run may go on over there: follow it again rather than start it twice.
      if (!(e instanceof RunConnectionLost) || typeof this.engine.reattach !== 'function' || entry.cancelRequested || this.closing) throw e;
      result = await this.followAgain(entry, stageId, inflight, e.runId, e);
      measured = false;
    }
    if (result) this.completeStage(entry, stageId, result, performance.now() - t0, measured);
  }

  private completeStage(entry: JobEntry, stageId: string, result: StageResult, ms: number, measured: boolean): void {
    const spec = this.specOf(entry, stageId);
    if (measured) this.estimates.observeRun(spec.model, spec.kind, ms);
    if (spec.model !== null && result.peakMb) this.estimates.observePeak(spec.model, result.peakMb);
    if (this.closed || !this.book.active.has(entry.record.id)) return;
    const stage = this.book.stage(entry, stageId);
    stage.status = 'done';
    stage.outputs = { ...result.outputs };
    stage.madeBy = result.madeBy;
    stage.finishedAt = this.now();
    stage.step = Math.max(stage.step, stage.totalSteps);
    stage.remoteRunId = null;
    stage.error = null;
    entry.waited.delete(stageId);
    if (entry.cancelRequested) {
      this.finalizeCancelled(entry);
      return;
    }
    if (entry.record.stages.every((s) => s.status === 'done')) {
      entry.record.status = 'done';
      this.book.finish(entry);
    } else {
      this.book.touch(entry, true);
    }
  }

  private async onStageError(entry: JobEntry, stageId: string, e: unknown): Promise<void> {
    if (this.closed || !this.book.active.has(entry.record.id)) return;
    if (this.closing && !entry.cancelRequested) {
      // A run that may still be going keeps its id: the next start follows it instead of running it again.
      if (e instanceof RunConnectionLost && this.book.stage(entry, stageId).remoteRunId) return;
      this.requeue(entry, stageId, 'Stopped when adstudio closed; it runs again on the next start.');
      return;
    }
    const failure = classifyStageError(e, entry.cancelRequested);
    const spec = this.specOf(entry, stageId);
    switch (failure.kind) {
      case 'cancelled':
        this.finalizeCancelled(entry);
        return;
      case 'oom': {
        const oom = e as OutOfMemoryAtLoad;
        const label = this.estimates.label(oom.model);
        const count = (entry.outOfMemory.get(stageId) ?? 0) + 1;
        entry.outOfMemory.set(stageId, count);
        if (count > 1) {
          this.failStage(entry, stageId, {
            code: 'engine',
            message:
              `Loading ${label} ran out of GPU memory again, even after the other models were unloaded (${failure.error.message}). ` +
              `It seems to need more than ${formatGb(oom.estimateMb)}; close other programs that use the GPU, or use a smaller model.`,
          });
          return;
        }
        // Make room: unload what no queued stage needs now; the raised estimate makes the planner evict the rest.
        for (const m of this.residency.residentGpu()) if (m !== oom.model && !this.neededByOthers(m, '')) this.cleanup.add(m);
        this.requeue(
          entry,
          stageId,
          `Loading ${label} ran out of GPU memory (${failure.error.message}); its estimate is now ${formatGb(oom.estimateMb)}, ` +
            'so other models are unloaded to make room and the stage runs again once.',
        );
        return;
      }
      case 'connection-lost':
      case 'busy': {
        const failures = (entry.busyFailures.get(stageId) ?? 0) + 1;
        entry.busyFailures.set(stageId, failures);
        if (failures >= this.retryOptions.maxAttempts) {
          this.failStage(entry, stageId, { code: 'engine-busy', message: `The engine stayed busy through ${failures} attempts (${failure.error.message}). Try again later.` });
          return;
        }
        const wait = backoffMs(failures, this.retryOptions);
        entry.notBefore.set(stageId, performance.now() + wait);
        this.requeue(entry, stageId, `The engine was busy (${failure.error.message}); trying again in ${formatSeconds(wait)} (attempt ${failures + 1} of ${this.retryOptions.maxAttempts}).`);
        return;
      }
      case 'crash': {
        const crashes = (entry.crashes.get(stageId) ?? 0) + 1;
        entry.crashes.set(stageId, crashes);
        const health = await this.recoverFromCrash();
        if (this.closed || !this.book.active.has(entry.record.id)) return;
        if (crashes <= 1 && health.healthy) {
          this.requeue(entry, stageId, `The engine failed while running this stage (${failure.error.message}); it runs again once.`);
          return;
        }
        const what = `The engine failed while running stage "${stageId}"${spec.model ? ` on ${spec.model}` : ''}: ${failure.error.message}`;
        const why = crashes > 1 ? ' It failed again after one retry.' : ` The engine is not healthy${health.message ? `: ${health.message}` : ''}; restart it.`;
        this.failStage(entry, stageId, { code: 'engine', message: `${what}${why}` });
        return;
      }
      case 'fatal':
        this.failStage(entry, stageId, failure.error);
        return;
    }
  }

  /** After a crash: wait (bounded) for the engine to be healthy, then re-read what is resident. */
  private async recoverFromCrash(): Promise<{ healthy: boolean; message?: string }> {
    const deadline = performance.now() + (this.options.crashRecoveryMs ?? 30_000);
    let message: string | undefined;
    for (;;) {
      try {
        const health = await this.engine.health();
        if (health.status === 'healthy') break;
        message = health.message;
      } catch (e) {
        message = e instanceof Error ? e.message : String(e);
      }
      if (performance.now() >= deadline || this.closing) return { healthy: false, message };
      await sleep(Math.min(500, Math.max(1, (this.options.crashRecoveryMs ?? 30_000) / 20)));
    }
    await this.residency.sync().catch((e: Error) => this.log(`Could not read the engine's models after a crash: ${e.message}`));
    return { healthy: true };
  }

  // ---- shutdown ----------------------------------------------------------------------------

  private async shutDown(): Promise<void> {
    this.closing = true;
    this.closingSignal.abort();
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    const stopping: Promise<void>[] = [];
    for (const entry of this.book.active.values()) {
      for (const inflight of entry.inFlight.values()) {
        if (this.book.stage(entry, inflight.stageId).remoteRunId) {
          // A run in a container keeps going; the next start picks it up by its id.
          inflight.detached = true;
          continue;
        }
        inflight.controller.abort();
        stopping.push(inflight.settled);
      }
    }
    await raceTimeout(Promise.all(stopping), this.options.cancelGraceMs ?? 10_000);
    this.closed = true;
    for (const entry of this.book.active.values()) {
      for (const stage of entry.record.stages) {
        if ((stage.status === 'running' && stage.remoteRunId) || (stage.status !== 'running' && stage.status !== 'loading')) continue;
        stage.status = 'waiting';
        stage.step = 0;
        stage.totalSteps = 0;
        stage.startedAt = null;
        stage.note = 'Stopped when adstudio closed; it runs again on the next start.';
      }
      this.book.persist(entry.record);
    }
    await this.store.flush();
    this.estimates.onLearn = null;
    await this.keeper?.flush();
    this.listeners.clear();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private emit(event: SchedulerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.log(`A scheduler listener threw: ${(e as Error).message}`);
      }
    }
  }
}

async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([promise.then(() => undefined, () => undefined), sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined)]);
  timer.abort();
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
