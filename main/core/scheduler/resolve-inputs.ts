import { AppError } from '../../../preload/contract/index.js';
import type { JobRecord, StageSpec } from './scheduler-types.js';

/** A stage's inputs as file paths: `{from, output}` becomes the path that earlier stage wrote. */
export function resolveInputs(job: JobRecord, stage: StageSpec): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, input] of Object.entries(stage.inputs)) {
    if (typeof input === 'string') {
      resolved[name] = input;
      continue;
    }
    const from = job.stages.find((s) => s.id === input.from);
    const path = from?.status === 'done' ? from.outputs[input.output] : undefined;
    if (path === undefined) {
      throw new AppError('internal', `Stage "${stage.id}" needs output "${input.output}" of "${input.from}", but that stage has not written it.`);
    }
    resolved[name] = path;
  }
  return resolved;
}
