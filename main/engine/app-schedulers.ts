import { join } from 'node:path';
import type { EnginesPort, JobEndpoint } from '../core/engines/engines-port.js';
import { JobEngineChoice, jobEngineFile, type JobEnginePort } from '../core/jobs/job-engine-choice.js';
import { SchedulerHub } from '../core/jobs/scheduler-hub.js';
import type { SchedulerPort } from '../core/jobs/scheduler-handlers.js';
import { createFileJobStore } from '../core/scheduler/job-store.js';
import { acquireJobFolderLock } from '../core/scheduler/job-folder-lock.js';
import { createScheduler } from '../core/scheduler/scheduler.js';
import { createEmbeddedStageEngine } from './embedded-stage-engine.js';
import { containerStageEngine } from './container-stage-engine.js';
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
export function createEmbeddedScheduler(o: AppSchedulerOptions): Promise<SchedulerPort & { workspace: string }> {
  const engine = createEmbeddedStageEngine({ version: o.version, inpaint: o.inpaint });
  return schedulerOver(engine, 'embedded', join(o.dataDir, 'jobs'), join(o.dataDir, 'work'), () => engine.close(), o.log);
}

/**
 * The same over the SIMULATED-VRAM engine (declared GPU footprints, scaled times; no GPU is used and
 * every report says simulated). Text detection and erasing, and cut-outs and backgrounds that name no GPU
 * model (the editor's), still run for real on the embedded engine.
 */
export function createSimulatedScheduler(o: AppSchedulerOptions & { vramGb: number; timeScale: number }): Promise<SchedulerPort & { workspace: string }> {
  const embedded = createEmbeddedStageEngine({ version: o.version, inpaint: o.inpaint });
  const engine = createSimulatedGpu({ vramGb: o.vramGb, timeScale: o.timeScale, embedded });
  const close = async () => {
    await engine.close();
    await embedded.close();
  };
  return schedulerOver(engine, null, join(o.dataDir, 'jobs-simulated'), join(o.dataDir, 'work-simulated'), close, o.log);
}

/** A scheduler over any stage engine with a durable job store and a workspace (the two above; tests with their own engines). */
export async function schedulerOver(
  engine: StageEngine,
  name: string | null,
  jobsDir: string,
  workspace: string,
  close: () => Promise<void>,
  log?: (m: string) => void,
): Promise<SchedulerPort & { workspace: string }> {
  // One process per jobs folder: two would both recover and run the same records.
  const lock = await acquireJobFolderLock(jobsDir, { purpose: `${name ?? 'the'} job scheduler` }).catch(async (e: unknown) => {
    await close();
    throw e;
  });
  const closeAll = async () => {
    try {
      await close();
    } finally {
      await lock.release();
    }
  };
  try {
    const scheduler = await createScheduler({ engine, store: createFileJobStore(jobsDir), ...(log ? { log } : {}) });
    return { scheduler, engine: name ?? (await engine.capabilities()).engine, close: closeAll, workspace };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** The app's jobs: where they run (embedded, or a chosen container engine) and the scheduler behind the Jobs panel. */
export interface AppJobs {
  scheduler: SchedulerPort;
  jobEngine: JobEnginePort;
}

/**
 * The scheduler the app's services drive: the embedded (or simulated) engine's, plus — while the
 * person has chosen a container engine in the Engines panel and it is healthy — that engine's, which
 * then takes the new jobs. Each engine keeps its own job records (<data dir>/jobs-engines/<profile>),
 * so a restarted app that reconnects to a container picks up the runs still going on there.
 */
export async function createAppJobs(o: AppSchedulerOptions & { engines: EnginesPort | undefined; base: SchedulerPort & { workspace: string } }): Promise<AppJobs> {
  const hub = new SchedulerHub(o.base);
  try {
    const jobEngine = await JobEngineChoice.open({
      hub,
      engines: o.engines,
      connect: (endpoint) => connectContainerScheduler(o, endpoint),
      file: jobEngineFile(o.dataDir),
      ...(o.log ? { log: o.log } : {}),
    });
    return { scheduler: hub.port, jobEngine };
  } catch (e) {
    await hub.close();
    throw e;
  }
}

/** A scheduler over a healthy container engine: the adstudio protocol over its bound workspace, or nanoCocoa beside the embedded engine. */
export async function connectContainerScheduler(o: AppSchedulerOptions, endpoint: JobEndpoint): Promise<SchedulerPort & { workspace: string }> {
  const jobsDir = join(o.dataDir, 'jobs-engines', endpoint.profile);
  const { engine, workspace } = containerStageEngine(endpoint, { version: o.version, inpaint: o.inpaint });
  // nanoCocoa's files stay on this machine (its client downloads results): a folder of our own.
  return schedulerOver(engine, endpoint.profile, jobsDir, workspace ?? join(o.dataDir, 'work-engines', endpoint.profile), () => engine.close(), o.log);
}
