import type { EventPayload } from '../../../../preload/contract/channels';

/** A scheduler job as the panel gets it (listJobs, jobUpdated). */
export type JobView = EventPayload<'jobUpdated'>;
/** What the VRAM bar shows (getJobsMemory, jobsMemory). */
export type MemoryView = EventPayload<'jobsMemory'>;
export type JobStatus = JobView['status'];

const ACTIVE = new Set<JobStatus>(['queued', 'running']);

export function isActive(job: Pick<JobView, 'status'>): boolean {
  return ACTIVE.has(job.status);
}

/**
 * How far a record has got: an ended job is past any running one; then progress, then stages done.
 * Events and list answers can cross on the wire; the record further along is the newer one.
 */
function rank(job: JobView): [number, number, number] {
  return [isActive(job) ? 0 : 1, job.progress, job.stages.filter((s) => s.status === 'done').length];
}

/** >0 when `a` is further along than `b`, 0 when level. */
function compareProgress(a: JobView, b: JobView): number {
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Newest first, like listJobs. */
function byCreated(a: JobView, b: JobView): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
}

/** One job changed (an event or a response): replace it unless what we hold is further along. */
export function mergeJob(list: readonly JobView[], job: JobView): JobView[] {
  const i = list.findIndex((j) => j.id === job.id);
  if (i < 0) return [...list, job].sort(byCreated);
  // Level: a status or step change at the same progress, and the one arriving now is the later one.
  if (compareProgress(job, list[i]!) < 0) return list as JobView[];
  const next = list.slice();
  next[i] = job;
  return next;
}

/** A fresh list from listJobs, keeping any record an event already moved further along. */
export function mergeList(current: readonly JobView[] | null, listed: readonly JobView[]): JobView[] {
  const next = [...listed].sort(byCreated);
  for (const held of current ?? []) {
    const i = next.findIndex((j) => j.id === held.id);
    if (i >= 0) {
      if (compareProgress(held, next[i]!) > 0) next[i] = held;
    } else if (isActive(held)) {
      // Submitted after the list was read (its event came first); ended jobs the list dropped stay dropped.
      next.push(held);
    }
  }
  return next.sort(byCreated);
}

export interface JobsSplit {
  /** Queued and running, oldest first (the order they run in, roughly). */
  active: JobView[];
  /** Ended, most recently finished first. */
  history: JobView[];
}

export function splitJobs(list: readonly JobView[]): JobsSplit {
  const active = list.filter(isActive).sort((a, b) => a.createdAt - b.createdAt);
  const history = list.filter((j) => !isActive(j)).sort((a, b) => (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt));
  return { active, history };
}

/** The stage the job is on now: the first loading or running one, else the first waiting one. */
export function currentStage(job: JobView): JobView['stages'][number] | undefined {
  return job.stages.find((s) => s.status === 'loading' || s.status === 'running') ?? job.stages.find((s) => s.status === 'waiting');
}

export interface JobResult {
  stageKind: JobView['stages'][number]['kind'];
  name: string;
  path: string;
}

/** The files a job wrote, the last stage's first (the finished picture is usually what one wants). */
export function jobResults(job: JobView): JobResult[] {
  const out: JobResult[] = [];
  for (const stage of [...job.stages].reverse()) {
    for (const [name, path] of Object.entries(stage.outputs)) out.push({ stageKind: stage.kind, name, path });
  }
  return out;
}

/** How long a finished job took (from its start, or from submission if it never started), ms. */
export function jobDurationMs(job: JobView): number | null {
  if (job.finishedAt === null) return null;
  return Math.max(0, job.finishedAt - (job.startedAt ?? job.createdAt));
}
