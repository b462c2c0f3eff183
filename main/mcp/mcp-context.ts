import type { JobScheduler } from '../core/scheduler/scheduler-types.js';
import type { StageEngine } from '../engine/stage-engine.js';
import type { PathGuard } from './path-guard.js';

/** What every tool works with: the same engine and scheduler the app uses, and the path policy. */
export interface McpContext {
  engine: StageEngine;
  scheduler: JobScheduler;
  paths: PathGuard;
  /** The server's own folder for intermediate files (outside the allowed folders, never returned). */
  workRoot: string;
  version: string;
  /** Diagnostics: stderr in stdio mode (stdout carries only protocol messages). */
  log: (line: string) => void;
}
