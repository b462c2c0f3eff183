import { join } from 'node:path';
import type { SchedulerPort } from '../core/jobs/scheduler-handlers.js';
import { createFileJobStore } from '../core/scheduler/job-store.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import { createEmbeddedStageEngine } from './embedded-stage-engine.js';
import type { InpaintEngine } from './inpaint-engine.js';
import { createSimulatedGpu } from './simulated/simulated-gpu.js';
import type { StageEngine } from './stage-engine.js';

export interface AppSchedulerOptions {
  dataDir: string;
  version: string;
  /** The editor's erase engine: the scheduler's stages share its worker pool (closed by its owner). */
  inpaint: InpaintEngine;
  log?: (message: string) => void;
}


/**
 * The app's stage scheduler over the embedded engine (CPU): the editor's erases are its interactive
 * jobs and show in the Jobs panel; records in <data dir>/jobs, files in <data dir>/work.
 */
export function createEmbeddedScheduler(o: AppSchedulerOptions): Promise<SchedulerPort> {
  const engine = createEmbeddedStageEngine({ version: o.version, inpaint: o.inpaint });
  return schedulerOver(engine, 'embedded', join(o.dataDir, 'jobs'), join(o.dataDir, 'work'), () => engine.close(), o.log);
}

/**
 * The same over the SIMULATED-VRAM engine (declared GPU footprints, scaled times; no GPU is used and
 * every report says simulated). Text detection and erasing, and cut-outs and backgrounds that name no GPU
 * model (the editor's), still run for real on the embedded engine.
 */
export function createSimulatedScheduler(o: AppSchedulerOptions & { vramGb: number; timeScale: number }): Promise<SchedulerPort> {
  const embedded = createEmbeddedStageEngine({ version: o.version, inpaint: o.inpaint });
  const engine = createSimulatedGpu({ vramGb: o.vramGb, timeScale: o.timeScale, embedded });
  const close = async () => {
    await engine.close();
    await embedded.close();
  };
  return schedulerOver(engine, null, join(o.dataDir, 'jobs-simulated'), join(o.dataDir, 'work-simulated'), close, o.log);
}

/** A scheduler over any stage engine with a durable job store and a workspace (the two above; tests with their own engines). */
export async function schedulerOver(engine: StageEngine, name: string | null, jobsDir: string, workspace: string, close: () => Promise<void>, log?: (m: string) => void): Promise<SchedulerPort> {
  try {
    const scheduler = await createScheduler({ engine, store: createFileJobStore(jobsDir), ...(log ? { log } : {}) });
    return { scheduler, engine: name ?? (await engine.capabilities()).engine, close, workspace };
  } catch (e) {
    await close();
    throw e;
  }
}
