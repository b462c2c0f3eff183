import { estimateEtaSeconds, weightedProgress, type StageWeights } from './job-progress.js';
import type { JobStore } from './job-store.js';
import type { ModelEstimates } from './model-estimates.js';
import type { JobRecord, SchedulerEvent, StageRecord } from './scheduler-types.js';

/** A stage the runtime has started (load or run) and not yet settled. */
export interface InFlight {
  stageId: string;
  lane: 'gpu' | 'cpu';
  model: string | null;
  controller: AbortController;
  settled: Promise<void>;
  /** close() left a remote run running so a restart can pick it up. */
  detached: boolean;
}

/** What the runtime keeps per active job besides its record. */
export interface JobEntry {
  record: JobRecord;
  /** Submission order (smaller = older). */
  seq: number;
  weights: StageWeights;
  /** Per stage: boundaries it was ready but passed over. */
  waited: Map<string, number>;
  /** Per stage: not before this time (ms, performance clock) — backoff after 'engine-busy'. */
  notBefore: Map<string, number>;
  busyFailures: Map<string, number>;
  crashes: Map<string, number>;
  /** Per stage: loads that ran out of memory (one more try after making room, then fail). */
  outOfMemory: Map<string, number>;
  inFlight: Map<string, InFlight>;
  cancelRequested: boolean;
  lastPersistAt: number;
}

export interface JobBookOptions {
  historyLimit: number;
  /** Progress-only changes are written at most this often per job; status changes at once. */
  persistIntervalMs: number;
  now: () => number;
  log: (message: string) => void;
}

/**
 * The jobs: active entries and a bounded history of finished records (newest first). Every change
 * goes through touch(): progress and ETA are recomputed (progress never goes down), listeners hear
 * about it and the record is written to the store.
 */
export class JobBook {
  readonly active = new Map<string, JobEntry>();
  private history: JobRecord[] = [];
  private nextSeq = 0;

  constructor(
    private readonly store: JobStore,
    private readonly estimates: ModelEstimates,
    private readonly resident: () => ReadonlySet<string>,
    private readonly emit: (event: SchedulerEvent) => void,
    private readonly options: JobBookOptions,
  ) {}

  add(record: JobRecord, weights: StageWeights): JobEntry {
    const entry: JobEntry = {
      record,
      seq: this.nextSeq++,
      weights,
      waited: new Map(),
      notBefore: new Map(),
      busyFailures: new Map(),
      crashes: new Map(),
      outOfMemory: new Map(),
      inFlight: new Map(),
      cancelRequested: false,
      lastPersistAt: 0,
    };
    this.active.set(record.id, entry);
    return entry;
  }

  /** Records read back from disk that had already ended, oldest first. */
  restoreHistory(records: JobRecord[]): void {
    this.history = [...records].sort((a, b) => (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt));
    this.trimHistory();
  }

  stage(entry: JobEntry, stageId: string): StageRecord {
    const stage = entry.record.stages.find((s) => s.id === stageId);
    if (!stage) throw new Error(`Job ${entry.record.id} has no stage ${stageId}.`);
    return stage;
  }

  /** Recompute, notify, persist (progress-only changes are throttled unless `urgent`). */
  touch(entry: JobEntry, urgent: boolean): void {
    const record = entry.record;
    record.progress = Math.max(record.progress, record.status === 'done' ? 1 : Math.min(0.999, weightedProgress(record, entry.weights)));
    record.etaSeconds =
      record.status === 'done' ? 0 : record.status === 'queued' || record.status === 'running' ? estimateEtaSeconds(record, entry.weights, this.estimates, this.resident(), this.options.now()) : null;
    this.emit({ type: 'job', job: structuredClone(record) });
    const t = performance.now();
    if (urgent || t - entry.lastPersistAt >= this.options.persistIntervalMs) {
      entry.lastPersistAt = t;
      this.persist(record);
    }
  }

  /** The job ended (done, failed, cancelled): it leaves the active set for the history. */
  finish(entry: JobEntry): void {
    entry.record.finishedAt = this.options.now();
    this.active.delete(entry.record.id);
    this.touch(entry, true);
    this.history.unshift(entry.record);
    this.trimHistory();
  }

  get(jobId: string): JobRecord | null {
    const record = this.active.get(jobId)?.record ?? this.history.find((r) => r.id === jobId);
    return record ? structuredClone(record) : null;
  }

  historyRecord(jobId: string): JobRecord | undefined {
    return this.history.find((r) => r.id === jobId);
  }

  list(filter?: { active?: boolean }): JobRecord[] {
    const active = [...this.active.values()].map((e) => e.record);
    const all = filter?.active ? active : [...active, ...this.history];
    return all.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((r) => structuredClone(r));
  }

  persist(record: JobRecord): void {
    this.store.save(structuredClone(record)).catch((e: Error) => this.options.log(`Could not save job ${record.id} in ${this.store.location}: ${e.message}`));
  }

  private trimHistory(): void {
    const dropped = this.history.splice(this.options.historyLimit);
    for (const r of dropped) this.store.remove(r.id).catch((e: Error) => this.options.log(`Could not remove old job ${r.id}: ${e.message}`));
  }
}
