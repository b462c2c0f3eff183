import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import type { ModelArbiter } from '../../core/scheduler/model-arbiter.js';
import type { StageEngine, StageRequest as EngineStageRequest } from '../../engine/stage-engine.js';
import type { EventLog } from './event-log.js';
import { ProtocolError, toErrorShape } from './protocol-errors.js';
import type { stageRequestSchema } from './protocol-schemas.js';
import type { StageRunRecord } from './protocol-types.js';
import type { RunStore } from './run-store.js';
import type { Workspace } from './workspace.js';

interface LiveRun {
  record: StageRunRecord;
  controller: AbortController;
  settled: Promise<void>;
  /** Gives the model back to the arbiter (it may be unloaded or evicted again). */
  release: () => void;
}

/** Finished runs kept in memory for quick answers; older ones are read back from disk. */
const KEEP_FINISHED = 200;
/** Ids cancelled before their POST arrived, remembered at most. */
const KEEP_CANCELLED_EARLY = 1000;
/** Progress events per run at most this often (the final state is always sent). */
const PROGRESS_INTERVAL_MS = 100;
/** How a run ends when the server stops (or stopped) under it: transient, so a scheduler runs it again. */
const INTERRUPTED = { code: 'engine-busy', message: 'the engine server stopped while this stage ran; run it again' } as const;

export interface StageRunsOptions {
  engine: StageEngine;
  /** Every run holds its model here while it runs: no unload (a client's or the scheduler's) takes it away. */
  arbiter: ModelArbiter;
  workspace: Workspace;
  store: RunStore;
  events: EventLog;
  simulated: boolean;
  log: (line: string) => void;
}

/**
 * POST /v1/stages: one stage on a model that is already resident, for a scheduler that runs
 * elsewhere (it loads and unloads models itself through /v1/models). Each run has an id, step
 * progress as `stage` events, cancel, and a record on disk that outlives the server process.
 */
export class StageRuns {
  private readonly live = new Map<string, LiveRun>();
  private readonly finished: string[] = [];
  /** Starts in progress by id (the same id posted twice at once starts one run). */
  private readonly starting = new Map<string, Promise<{ run: StageRunRecord; created: boolean }>>();
  /** Ids cancelled before any run had them (insertion order = age). */
  private readonly cancelledBeforeStart = new Set<string>();
  private closing = false;

  constructor(private readonly o: StageRunsOptions) {}

  /**
   * Starts a run, or — when the client chose an id that already names a run — answers with that run
   * (`created: false`) instead of starting a second one. Two requests with the same id at the same
   * time start one run; an id used for a different stage is refused (409).
   */
  async start(request: StageRequest): Promise<{ run: StageRunRecord; created: boolean }> {
    const id = request.id ?? `r-${randomBytes(8).toString('hex')}`;
    // Requests with the same id take turns: the second one finds the first one's run.
    for (let pending = this.starting.get(id); pending; pending = this.starting.get(id)) await pending.catch(() => undefined);
    const starting = this.startOnce(id, request);
    this.starting.set(id, starting);
    try {
      return await starting;
    } finally {
      if (this.starting.get(id) === starting) this.starting.delete(id);
    }
  }

  private async startOnce(id: string, request: StageRequest): Promise<{ run: StageRunRecord; created: boolean }> {
    const { workspace, engine } = this.o;
    const inputs: Record<string, string> = {};
    const outputs: Record<string, string> = {};
    for (const [k, p] of Object.entries(request.inputs)) inputs[k] = await workspace.input(p, `input "${k}"`);
    for (const [k, p] of Object.entries(request.outputs)) outputs[k] = await workspace.output(p, `output "${k}"`);
    const asked = {
      kind: request.kind,
      model: request.model,
      inputs: mapValues(inputs, (p) => workspace.toClient(p)),
      outputs: mapValues(outputs, (p) => workspace.toClient(p)),
      params: request.params ?? {},
    };
    if (request.id !== undefined) {
      const existing = await this.find(id);
      if (existing) {
        if (canonical(pick(existing)) !== canonical(asked)) {
          throw new ProtocolError('bad-request', `stage run ${id} already exists for another stage; choose a new id for a new run`, 409);
        }
        return { run: existing, created: false };
      }
    }
    const cancelledEarly = this.cancelledBeforeStart.delete(id);
    let release: () => void = () => undefined;
    if (request.model !== null && !cancelledEarly) {
      // Held before residency is checked, so no unload slips in between the check and the run; a
      // model being unloaded right now is refused (ModelConflict, 409).
      release = this.o.arbiter.claimModel(request.model, `stage run ${id}`);
      try {
        const model = (await engine.models()).find((m) => m.id === request.model);
        if (!model) throw new AppError('not-found', `no model "${request.model}" on this engine; GET /v1/models lists them`);
        if (!model.resident) {
          throw new ProtocolError('engine', `model "${model.id}" is not resident; load it first with POST /v1/models/${model.id}/load`, 409);
        }
      } catch (e) {
        release();
        throw e;
      }
    }

    const record: StageRunRecord = {
      id,
      status: 'running',
      ...asked,
      step: 0,
      totalSteps: 0,
      message: null,
      createdAt: Date.now(),
      finishedAt: null,
      result: null,
      error: null,
      simulated: this.o.simulated,
    };
    if (cancelledEarly) {
      // Its client cancelled it before this request arrived (it gave up waiting for the answer): never run it.
      Object.assign(record, { status: 'cancelled', finishedAt: record.createdAt, error: { code: 'cancelled', message: 'the stage was cancelled before it started' } });
      await this.o.store.write(record);
      this.emit(record);
      return { run: { ...record }, created: true };
    }
    await this.o.store.write(record).catch((e: unknown) => {
      release();
      throw e;
    });
    const controller = new AbortController();
    const run: LiveRun = { record, controller, settled: Promise.resolve(), release };
    this.live.set(record.id, run);
    this.emit(record);
    run.settled = this.execute(run, { kind: request.kind, model: request.model, inputs, outputs, params: request.params ?? {} });
    return { run: { ...record }, created: true };
  }

  /** The run's record (also from disk after a restart); a start of that id in progress is waited for. */
  async get(id: string): Promise<StageRunRecord | null> {
    await this.starting.get(id)?.catch(() => undefined);
    return this.find(id);
  }

  private async find(id: string): Promise<StageRunRecord | null> {
    const live = this.live.get(id);
    if (live) return { ...live.record };
    const stored = await this.o.store.read(id);
    if (stored?.status === 'running') {
      // On disk as running but not in this process: the server stopped while it ran.
      const interrupted: StageRunRecord = {
        ...stored,
        status: 'failed',
        finishedAt: Date.now(),
        error: { ...INTERRUPTED },
      };
      await this.o.store.write(interrupted).catch((e: unknown) => this.o.log(`could not update run record ${id}: ${(e as Error).message}`));
      return interrupted;
    }
    return stored;
  }

  /**
   * Cancels at the engine's next step; resolves with the record once the run has ended. An id no run
   * has yet is remembered: a client that gave up waiting for its POST cancels by the id it chose, and
   * that POST, should it arrive now, does not start the run.
   */
  async cancel(id: string): Promise<StageRunRecord | null> {
    await this.starting.get(id)?.catch(() => undefined);
    const live = this.live.get(id);
    if (!live) {
      const known = await this.find(id);
      if (!known) this.rememberCancelled(id);
      return known;
    }
    if (live.record.status === 'running') live.controller.abort();
    await live.settled;
    return { ...live.record };
  }

  /** Stops what runs (recorded as interrupted, not cancelled) and waits until each record says so. */
  async close(): Promise<void> {
    this.closing = true;
    const runs = [...this.live.values()];
    for (const r of runs) if (r.record.status === 'running') r.controller.abort();
    await Promise.all(runs.map((r) => r.settled));
  }

  private async execute(run: LiveRun, request: EngineStageRequest): Promise<void> {
    const { record, controller } = run;
    let lastEmit = 0;
    const onProgress = (step: number, total: number, message?: string) => {
      if (record.status !== 'running' || !Number.isFinite(step) || !Number.isFinite(total)) return;
      // Monotonic for clients: a step never goes back within the same total.
      if (total === record.totalSteps && step < record.step) return;
      record.step = step;
      record.totalSteps = total;
      record.message = message ?? null;
      const now = Date.now();
      if (now - lastEmit >= PROGRESS_INTERVAL_MS || step >= total) {
        lastEmit = now;
        this.emit(record);
      }
    };
    // The outcome goes to disk before anyone can read it here: a client told "done" finds it after a restart.
    const outcome: Partial<StageRunRecord> = {};
    try {
      const result = await this.o.engine.runStage(request, { signal: controller.signal, onProgress }).finally(run.release);
      if (controller.signal.aborted) throw new AppError('cancelled', 'the stage was cancelled');
      outcome.status = 'done';
      outcome.result = {
        outputs: mapValues(result.outputs, (p) => this.o.workspace.toClient(p)),
        madeBy: result.madeBy,
        peakMb: result.peakMb ?? null,
      };
      if (record.totalSteps > 0) outcome.step = record.totalSteps;
    } catch (e) {
      const cancelled = controller.signal.aborted || (e instanceof AppError && e.code === 'cancelled');
      if (cancelled && this.closing) {
        // Nobody cancelled it: the server is stopping. Transient for the caller, who may run it again.
        outcome.status = 'failed';
        outcome.error = { ...INTERRUPTED };
      } else {
        outcome.status = cancelled ? 'cancelled' : 'failed';
        outcome.error = cancelled ? { code: 'cancelled', message: 'the stage was cancelled' } : toErrorShape(e);
      }
    }
    outcome.finishedAt = Date.now();
    const final = { ...record, ...outcome };
    await this.o.store.write(final).catch((e: unknown) => this.o.log(`could not write run record ${record.id}: ${(e as Error).message}`));
    Object.assign(record, outcome);
    this.emit(record);
    this.remember(run);
  }

  private rememberCancelled(id: string): void {
    this.cancelledBeforeStart.add(id);
    // Bounded: the oldest go first (a client retries its POST within seconds, not after thousands of runs).
    for (const old of this.cancelledBeforeStart) {
      if (this.cancelledBeforeStart.size <= KEEP_CANCELLED_EARLY) break;
      this.cancelledBeforeStart.delete(old);
    }
  }

  /** Keeps the newest finished runs answerable from memory (the disk has all of them). */
  private remember(run: LiveRun): void {
    this.finished.push(run.record.id);
    while (this.finished.length > KEEP_FINISHED) this.live.delete(this.finished.shift() as string);
  }

  private emit(record: StageRunRecord): void {
    this.o.events.append('stage', { type: 'stage', run: { ...record } });
  }
}

type StageRequest = z.infer<typeof stageRequestSchema>;

/** What a run was asked to do, to tell a repeated POST from a different stage under the same id. */
function pick(run: StageRunRecord) {
  return { kind: run.kind, model: run.model, inputs: run.inputs, outputs: run.outputs, params: run.params };
}

/** JSON with object keys sorted, so equal requests compare equal whatever order their fields came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function mapValues(o: Record<string, string>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
