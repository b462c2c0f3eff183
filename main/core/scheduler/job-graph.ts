import { AppError } from '../../../preload/contract/index.js';
import { STAGE_KINDS } from '../../engine/stage-engine.js';
import type { JobRecord, JobSpec, StageSpec } from './scheduler-types.js';

/**
 * A job's stages form a graph: a stage waits for the stages named in `after` and in its `from`
 * inputs. These helpers validate a spec once at submit and answer "what can run now" afterwards.
 */

const STAGE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_STAGES = 64;

/** Stage ids this stage waits for. */
export function dependenciesOf(stage: StageSpec): string[] {
  const deps = new Set(stage.after ?? []);
  for (const input of Object.values(stage.inputs)) if (typeof input !== 'string') deps.add(input.from);
  return [...deps];
}

/** Throws AppError('bad-request') naming the first problem: ids, references, cycles, unknown models. */
export function validateJobSpec(spec: JobSpec, knowsModel: (id: string) => boolean, knownModels: () => string[]): void {
  const bad = (message: string) => new AppError('bad-request', `Job "${spec.title}": ${message}`);
  if (typeof spec.title !== 'string' || spec.title.trim() === '') throw new AppError('bad-request', 'A job needs a title.');
  if (spec.priority !== 'interactive' && spec.priority !== 'batch') throw bad(`priority must be "interactive" or "batch", not "${String(spec.priority)}".`);
  if (!Array.isArray(spec.stages) || spec.stages.length === 0) throw bad('it has no stages.');
  if (spec.stages.length > MAX_STAGES) throw bad(`it has ${spec.stages.length} stages; at most ${MAX_STAGES} are allowed.`);
  const byId = new Map<string, StageSpec>();
  for (const s of spec.stages) {
    if (!STAGE_ID.test(s.id)) throw bad(`stage id "${s.id}" must be 1–64 letters, digits, "_", "." or "-".`);
    if (byId.has(s.id)) throw bad(`two stages are called "${s.id}".`);
    if (!(STAGE_KINDS as readonly string[]).includes(s.kind)) throw bad(`stage "${s.id}" has an unknown kind "${s.kind}".`);
    if (!isRecord(s.inputs) || !isRecord(s.outputs)) throw bad(`stage "${s.id}" needs "inputs" and "outputs" objects.`);
    for (const [name, path] of Object.entries(s.outputs)) if (typeof path !== 'string' || path === '') throw bad(`output "${name}" of stage "${s.id}" needs a file path.`);
    if (s.model !== null && !knowsModel(s.model)) {
      throw bad(`stage "${s.id}" needs model "${s.model}", which the engine does not have (it has: ${knownModels().join(', ') || 'none'}).`);
    }
    byId.set(s.id, s);
  }
  for (const s of spec.stages) {
    for (const dep of s.after ?? []) if (!byId.has(dep)) throw bad(`stage "${s.id}" waits for "${dep}", which is not a stage of this job.`);
    for (const [name, input] of Object.entries(s.inputs)) {
      if (typeof input === 'string') continue;
      const from = byId.get(input.from);
      if (!from) throw bad(`input "${name}" of stage "${s.id}" comes from "${input.from}", which is not a stage of this job.`);
      if (!(input.output in from.outputs)) throw bad(`input "${name}" of stage "${s.id}" wants output "${input.output}" of "${input.from}", which it does not write.`);
    }
  }
  // Kahn's algorithm: whatever cannot be ordered is on a cycle.
  const indegree = new Map(spec.stages.map((s) => [s.id, dependenciesOf(s).length]));
  const queue = spec.stages.filter((s) => indegree.get(s.id) === 0).map((s) => s.id);
  let ordered = 0;
  while (queue.length) {
    const id = queue.shift() as string;
    ordered++;
    for (const s of spec.stages) {
      if (!dependenciesOf(s).includes(id)) continue;
      const n = (indegree.get(s.id) ?? 0) - 1;
      indegree.set(s.id, n);
      if (n === 0) queue.push(s.id);
    }
  }
  if (ordered !== spec.stages.length) throw bad('its stages wait for each other in a cycle.');
}

/** Stage ids of a job that may start now: waiting, with every dependency done. */
export function readyStageIds(job: JobRecord): string[] {
  const status = new Map(job.stages.map((s) => [s.id, s.status]));
  return job.spec.stages.filter((s) => status.get(s.id) === 'waiting' && dependenciesOf(s).every((d) => status.get(d) === 'done')).map((s) => s.id);
}

/** Number of unfinished stages that must end before this one can start (0 when ready): "how soon". */
export function unfinishedAncestors(job: JobRecord, stageId: string): number {
  const specs = new Map(job.spec.stages.map((s) => [s.id, s]));
  const status = new Map(job.stages.map((s) => [s.id, s.status]));
  const seen = new Set<string>();
  const stack = [...dependenciesOf(specs.get(stageId) as StageSpec)];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id) || status.get(id) === 'done') continue;
    seen.add(id);
    const spec = specs.get(id);
    if (spec) stack.push(...dependenciesOf(spec));
  }
  return seen.size;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
