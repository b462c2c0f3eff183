import { z } from 'zod';

/**
 * Scheduler jobs as the Jobs panel sees them (mirrors main/core/scheduler/scheduler-types.ts without
 * file paths the renderer has no use for). Progress is monotonic; everything simulated says so.
 */
const errorShape = z.object({ code: z.string().max(64), message: z.string().max(2000) });

export const STAGE_KIND_NAMES = ['detect_text', 'inpaint', 'refine', 'cutout', 'background', 'harmonize', 'compose', 'render_text'] as const;

export const jobStageSchema = z.object({
  id: z.string().max(64),
  kind: z.enum(STAGE_KIND_NAMES),
  model: z.string().max(128).nullable(),
  status: z.enum(['waiting', 'loading', 'running', 'done', 'failed', 'cancelled']),
  step: z.number().nonnegative(),
  totalSteps: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  madeBy: z.string().max(200).nullable(),
  error: errorShape.nullable(),
  /** Output name → file path written (shown as "results" with a copy-path action). */
  outputs: z.record(z.string().max(64), z.string().max(4096)),
  /** When the stage started and ended (ms since the epoch), for its duration; null until then. */
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** Why the stage waits again or what happened to it (a retry, a requeue after a crash or a restart). */
  note: z.string().max(500).nullable(),
});

export const jobRecordSchema = z.object({
  id: z.string().max(64),
  title: z.string().max(300),
  priority: z.enum(['interactive', 'batch']),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  progress: z.number().min(0).max(1),
  etaSeconds: z.number().nonnegative().nullable(),
  stages: z.array(jobStageSchema).max(64),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  error: errorShape.nullable(),
  simulated: z.boolean(),
  /** The engine the job runs on ("embedded", "simulated-gpu", an engine profile such as "adstudio-engine"). */
  engine: z.string().max(64).optional(),
});
export type JobRecordPayload = z.infer<typeof jobRecordSchema>;

const memoryReportSchema = z.object({
  device: z.enum(['gpu', 'cpu']),
  totalMb: z.number().nonnegative(),
  usedMb: z.number().nonnegative(),
  budgetMb: z.number().nonnegative(),
  simulated: z.boolean(),
});

/** What the VRAM bar shows: the card, the budget and the models resident now. */
export const memoryViewSchema = z.object({
  gpu: memoryReportSchema.nullable(),
  resident: z.array(z.object({ id: z.string().max(128), label: z.string().max(200), device: z.enum(['gpu', 'cpu']), footprintMb: z.number().nonnegative() })).max(64),
  simulated: z.boolean(),
  /** Which engine the scheduler drives, e.g. "embedded", "simulated-gpu", "adstudio-engine". */
  engine: z.string().max(64),
});
export type MemoryViewPayload = z.infer<typeof memoryViewSchema>;

export const listJobsRequestSchema = z.object({ active: z.boolean().optional() }).optional();
export const jobIdRequestSchema = z.object({ jobId: z.string().min(1).max(64) });

// ---- where jobs run (Engines panel: "Run jobs on") ------------------------------------------------

/** The choice that needs no container: the embedded engine (or the simulated one in a simulation). */
export const EMBEDDED_JOB_ENGINE = 'embedded';

export const JOB_ENGINE_STATUS = [
  /** The embedded engine was chosen and runs the jobs. */
  'embedded',
  /** The chosen container engine is healthy: adstudio is connecting its scheduler to it. */
  'connecting',
  /** New jobs run on the chosen container engine. */
  'connected',
  /** The chosen container engine is not running: new jobs run on the embedded engine until it is healthy. */
  'waiting',
  /** Connecting to the chosen engine failed (message says why): new jobs run on the embedded engine. */
  'error',
] as const;

export const jobEngineViewSchema = z.object({
  /** What the person chose: "embedded" or an engine profile's name; kept across restarts. */
  choice: z.string().max(64),
  /** Where new jobs run now: "embedded", "simulated-gpu" or the profile's name. */
  active: z.string().max(64),
  status: z.enum(JOB_ENGINE_STATUS),
  message: z.string().max(2000).nullable(),
  /** Engine profiles that can run jobs (the adstudio protocol and nanoCocoa). */
  options: z
    .array(z.object({ profile: z.string().max(64), title: z.string().max(200), protocol: z.enum(['adstudio-v1', 'nanococoa']) }))
    .max(64),
});
export type JobEngineViewPayload = z.infer<typeof jobEngineViewSchema>;
export const setJobEngineRequestSchema = z.object({ choice: z.string().min(1).max(64) });
