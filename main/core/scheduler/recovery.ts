import { AppError } from '../../../preload/contract/index.js';
import type { JobBook, JobEntry } from './job-book.js';
import { stageWeights } from './job-progress.js';
import type { JobStore } from './job-store.js';
import type { ModelEstimates } from './model-estimates.js';
import type { JobRecord, JobSpec } from './scheduler-types.js';

export interface RecoveryInput {
  store: JobStore;
  book: JobBook;
  estimates: ModelEstimates;
  /** The engine can follow a run started before the restart (StageEngine.reattach). */
  canReattach: boolean;
  /** Throws AppError when the spec no longer fits the engine (e.g. a model is gone). */
  validate: (spec: JobSpec) => void;
  log: (message: string) => void;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

/**
 * Reads the job records on disk after a start: finished jobs become the history (and their stage
 * durations teach the estimates, so ETAs start from history); queued jobs continue in their old
 * order; a stage that was running is handed back to the engine by its remote run id when the
 * engine can reattach, otherwise queued again with a note.
 */
export async function recoverJobs(input: RecoveryInput): Promise<{ reattach: Array<{ entry: JobEntry; stageId: string }> }> {
  const { records, problems } = await input.store.load();
  for (const p of problems) input.log(`Job records: ${p}`);
  records.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const r of records) learnDurations(r, input.estimates);
  input.book.restoreHistory(records.filter((r) => TERMINAL.has(r.status)));

  const reattach: Array<{ entry: JobEntry; stageId: string }> = [];
  for (const record of records) {
    if (TERMINAL.has(record.status)) continue;
    const entry = input.book.add(record, stageWeights(record.spec, input.estimates));
    try {
      input.validate(record.spec);
    } catch (e) {
      failRecovered(entry, e instanceof AppError ? e.message : String(e), input);
      continue;
    }
    for (const stage of record.stages) {
      if (stage.status === 'running' && stage.remoteRunId && input.canReattach) {
        reattach.push({ entry, stageId: stage.id });
        continue;
      }
      if (stage.status === 'running' || stage.status === 'loading') {
        stage.status = 'waiting';
        stage.step = 0;
        stage.totalSteps = 0;
        stage.startedAt = null;
        stage.remoteRunId = null;
        stage.note = 'Interrupted when adstudio stopped; it runs again from the start.';
      }
    }
    input.book.touch(entry, true);
  }
  return { reattach };
}

function failRecovered(entry: JobEntry, message: string, input: RecoveryInput): void {
  const record = entry.record;
  for (const stage of record.stages) if (!TERMINAL.has(stage.status)) stage.status = 'cancelled';
  record.status = 'failed';
  record.error = { code: 'engine', message: `After the restart the job cannot continue: ${message}` };
  input.book.finish(entry);
}

function learnDurations(record: JobRecord, estimates: ModelEstimates): void {
  record.spec.stages.forEach((spec, i) => {
    const stage = record.stages[i];
    if (stage?.status === 'done' && stage.startedAt !== null && stage.finishedAt !== null && !stage.note?.startsWith('Kept from')) {
      estimates.observeRun(spec.model, spec.kind, Math.max(0, stage.finishedAt - stage.startedAt));
    }
  });
}
