import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import type { StageEngine, StageRequest } from '../../engine/stage-engine.js';
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
}

/** Finished runs kept in memory for quick answers; older ones are read back from disk. */
const KEEP_FINISHED = 200;
/** Progress events per run at most this often (the final state is always sent). */
const PROGRESS_INTERVAL_MS = 100;
/** How a run ends when the server stops (or stopped) under it: transient, so a scheduler runs it again. */
const INTERRUPTED = { code: 'engine-busy', message: 'the engine server stopped while this stage ran; run it again' } as const;

export interface StageRunsOptions {
  engine: StageEngine;
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
  private closing = false;

  constructor(private readonly o: StageRunsOptions) {}

  async start(request: z.infer<typeof stageRequestSchema>): Promise<StageRunRecord> {
    const { workspace, engine } = this.o;
    const inputs: Record<string, string> = {};
    const outputs: Record<string, string> = {};
    for (const [k, p] of Object.entries(request.inputs)) inputs[k] = await workspace.input(p, `input "${k}"`);
    for (const [k, p] of Object.entries(request.outputs)) outputs[k] = await workspace.output(p, `output "${k}"`);
    if (request.model !== null) {
      const model = (await engine.models()).find((m) => m.id === request.model);
      if (!model) throw new AppError('not-found', `no model "${request.model}" on this engine; GET /v1/models lists them`);
      if (!model.resident) {
        throw new ProtocolError('engine', `model "${model.id}" is not resident; load it first with POST /v1/models/${model.id}/load`, 409);
      }
    }

    const record: StageRunRecord = {
      id: `r-${randomBytes(8).toString('hex')}`,
      status: 'running',
      kind: request.kind,
      model: request.model,
      inputs: mapValues(inputs, (p) => workspace.toClient(p)),
      outputs: mapValues(outputs, (p) => workspace.toClient(p)),
      params: request.params ?? {},
      step: 0,
      totalSteps: 0,
      message: null,
      createdAt: Date.now(),
      finishedAt: null,
      result: null,
      error: null,
      simulated: this.o.simulated,
    };
    await this.o.store.write(record);
    const controller = new AbortController();
    const run: LiveRun = { record, controller, settled: Promise.resolve() };
    this.live.set(record.id, run);
    this.emit(record);
    run.settled = this.execute(run, { kind: request.kind, model: request.model, inputs, outputs, params: request.params ?? {} });
    return { ...record };
  }

  async get(id: string): Promise<StageRunRecord | null> {
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

  /** Cancels at the engine's next step; resolves with the record once the run has ended. */
  async cancel(id: string): Promise<StageRunRecord | null> {
    const live = this.live.get(id);
    if (!live) return this.get(id);
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

  private async execute(run: LiveRun, request: StageRequest): Promise<void> {
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
      const result = await this.o.engine.runStage(request, { signal: controller.signal, onProgress });
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

  /** Keeps the newest finished runs answerable from memory (the disk has all of them). */
  private remember(run: LiveRun): void {
    this.finished.push(run.record.id);
    while (this.finished.length > KEEP_FINISHED) this.live.delete(this.finished.shift() as string);
  }

  private emit(record: StageRunRecord): void {
    this.o.events.append('stage', { type: 'stage', run: { ...record } });
  }
}

function mapValues(o: Record<string, string>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
