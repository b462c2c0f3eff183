import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../paths/atomic-write.js';
import type { JobRecord } from './scheduler-types.js';

/**
 * Durable job records (DESIGN.md §7): one JSON file per job under a jobs folder, written atomically,
 * read back on start so queued jobs continue and finished ones stay in the history.
 */
export interface JobStore {
  /** Every readable record. Unreadable files are moved aside (`.corrupt`) and reported in `problems`. */
  load(): Promise<{ records: JobRecord[]; problems: string[] }>;
  /** Writes the record as it is now. Saves of one job land in order; a burst writes only the newest. */
  save(record: JobRecord): Promise<void>;
  remove(jobId: string): Promise<void>;
  /** Resolves once every save issued so far is on disk. */
  flush(): Promise<void>;
  /** Shown in messages: the folder, or "memory". */
  readonly location: string;
  /**
   * What the scheduler learnt about its models (footprints, load times), kept next to the records so
   * a restart keeps it: `.model-estimates.json` in the jobs folder. Null when nothing was kept yet.
   */
  readEstimates?(): Promise<unknown>;
  /** Replaces the learnt estimates (atomic write); callers serialise their own writes. */
  writeEstimates?(data: unknown): Promise<void>;
}

/** In the jobs folder; starts with "." so load() never mistakes it for a job record. */
export const ESTIMATES_FILE = '.model-estimates.json';

const FORMAT = 'adstudio-job/1';
const JOB_ID = /^[A-Za-z0-9_-]{1,80}$/;
const JOB_STATUSES = new Set(['queued', 'running', 'done', 'failed', 'cancelled']);

interface Slot {
  pending: string | null;
  running: Promise<void> | null;
}

export function createFileJobStore(dir: string): JobStore {
  const slots = new Map<string, Slot>();
  const fileOf = (jobId: string) => {
    if (!JOB_ID.test(jobId)) throw new Error(`Job id "${jobId}" cannot be a file name.`);
    return join(dir, `${jobId}.json`);
  };

  const drain = async (jobId: string, slot: Slot): Promise<void> => {
    try {
      while (slot.pending !== null) {
        const data = slot.pending;
        slot.pending = null;
        await writeFileAtomic(fileOf(jobId), data, { mkdir: true });
      }
    } finally {
      slot.running = null;
    }
  };

  return {
    location: dir,
    async load() {
      await mkdir(dir, { recursive: true });
      const records: JobRecord[] = [];
      const problems: string[] = [];
      for (const name of await readdir(dir)) {
        if (name.startsWith('.') && name.endsWith('.tmp')) {
          // A write that never got renamed (the app died mid-write): the record before it is intact.
          await unlink(join(dir, name)).catch(() => undefined);
          continue;
        }
        if (!name.endsWith('.json') || name.startsWith('.')) continue;
        const path = join(dir, name);
        try {
          const parsed = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; record?: unknown };
          const record = parsed.record;
          if (parsed.format !== FORMAT || !looksLikeRecord(record) || `${record.id}.json` !== name) throw new Error('not a job record');
          records.push(record);
        } catch (e) {
          problems.push(`${name}: ${(e as Error).message}; moved aside as ${name}.corrupt`);
          await rename(path, `${path}.corrupt`).catch(() => undefined);
        }
      }
      return { records, problems };
    },
    save(record) {
      if (!JOB_ID.test(record.id)) return Promise.reject(new Error(`Job id "${record.id}" cannot be a file name.`));
      let slot = slots.get(record.id);
      if (!slot) {
        slot = { pending: null, running: null };
        slots.set(record.id, slot);
      }
      slot.pending = JSON.stringify({ format: FORMAT, record });
      if (!slot.running) slot.running = drain(record.id, slot);
      return slot.running;
    },
    async remove(jobId) {
      const slot = slots.get(jobId);
      if (slot) {
        slot.pending = null;
        await slot.running?.catch(() => undefined);
        slots.delete(jobId);
      }
      await unlink(fileOf(jobId)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
    async flush() {
      await Promise.all([...slots.values()].map((s) => s.running?.catch(() => undefined)));
    },
    async readEstimates() {
      try {
        return JSON.parse(await readFile(join(dir, ESTIMATES_FILE), 'utf8')) as unknown;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new Error(`${join(dir, ESTIMATES_FILE)} is unreadable (${(e as Error).message})`);
      }
    },
    async writeEstimates(data) {
      await writeFileAtomic(join(dir, ESTIMATES_FILE), `${JSON.stringify(data, null, 2)}\n`, { mkdir: true });
    },
  };
}

/** For the benchmark and tests that do not exercise the disk. */
export function createMemoryJobStore(initial: JobRecord[] = []): JobStore & { records(): JobRecord[] } {
  const map = new Map(initial.map((r) => [r.id, structuredClone(r)]));
  let estimates: unknown = null;
  return {
    location: 'memory',
    async load() {
      return { records: [...map.values()].map((r) => structuredClone(r)), problems: [] };
    },
    async save(record) {
      map.set(record.id, structuredClone(record));
    },
    async remove(jobId) {
      map.delete(jobId);
    },
    async flush() {},
    async readEstimates() {
      return structuredClone(estimates);
    },
    async writeEstimates(data) {
      estimates = structuredClone(data);
    },
    records: () => [...map.values()].map((r) => structuredClone(r)),
  };
}

function looksLikeRecord(value: unknown): value is JobRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<JobRecord>;
  return (
    typeof r.id === 'string' &&
    JOB_ID.test(r.id) &&
    typeof r.status === 'string' &&
    JOB_STATUSES.has(r.status) &&
    typeof r.spec === 'object' &&
    r.spec !== null &&
    Array.isArray(r.spec.stages) &&
    Array.isArray(r.stages) &&
    r.stages.length === r.spec.stages.length &&
    typeof r.createdAt === 'number'
  );
}
