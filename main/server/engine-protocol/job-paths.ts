import type { z } from 'zod';
import type { JobRecord, JobSpec, StageSpec } from '../../core/scheduler/scheduler-types.js';
import type { jobSpecSchema } from './protocol-schemas.js';
import type { Workspace } from './workspace.js';

/**
 * Jobs cross the protocol with workspace-relative paths and reach the scheduler with real absolute
 * ones: every file input must exist inside the workspace, every output must land inside it.
 */
export async function resolveJobSpec(spec: z.infer<typeof jobSpecSchema>, ws: Workspace): Promise<JobSpec> {
  const stages: StageSpec[] = [];
  for (const s of spec.stages) {
    const inputs: StageSpec['inputs'] = {};
    for (const [k, v] of Object.entries(s.inputs)) {
      inputs[k] = typeof v === 'string' ? await ws.input(v, `stage "${s.id}" input "${k}"`) : v;
    }
    const outputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.outputs)) outputs[k] = await ws.output(v, `stage "${s.id}" output "${k}"`);
    stages.push({ ...s, inputs, outputs });
  }
  return { ...spec, stages };
}

export function jobForClient(job: JobRecord, ws: Workspace): JobRecord {
  const rel = (p: string) => ws.toClient(p);
  const relAll = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rel(v)]));
  return {
    ...job,
    spec: {
      ...job.spec,
      stages: job.spec.stages.map((s) => ({
        ...s,
        inputs: Object.fromEntries(Object.entries(s.inputs).map(([k, v]) => [k, typeof v === 'string' ? rel(v) : v])),
        outputs: relAll(s.outputs),
      })),
    },
    stages: job.stages.map((s) => ({ ...s, outputs: relAll(s.outputs) })),
  };
}
