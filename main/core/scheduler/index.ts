/** The stage scheduler's public surface (issue #6). Plain Node; see scheduler.ts for the runtime. */
export { createScheduler, type SchedulerOptions, type SchedulerRuntime } from './scheduler.js';
export { createFileJobStore, createMemoryJobStore, type JobStore } from './job-store.js';
export { POLICIES, type PolicyName } from './policies.js';
export { planNext } from './planner.js';
export type { Plan, PlannerInput, PlannerStage, SchedulingPolicy } from './planner-types.js';
export { MODEL_CATALOG, CPU_STAGE_ESTIMATES, catalogModel, type CatalogModel, type CatalogRun } from './model-catalog.js';
export { ModelEstimates } from './model-estimates.js';
export { eraseTextJob, productAdJob } from './job-templates.js';
export type * from './scheduler-types.js';
export { acquireJobFolderLock, JOB_FOLDER_LOCK, type JobFolderLock, type JobFolderLockOptions } from './job-folder-lock.js';
export { RunConnectionLost } from './stage-errors.js';
