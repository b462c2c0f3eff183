import type { JobScheduler } from '../core/scheduler/scheduler-types.js';
import type { StageEngine } from '../engine/stage-engine.js';
import type { PathGuard } from './path-guard.js';

/** What every tool works with: the engine (the app's engine code; a shared container with --engine profile:), this server's own scheduler, and the path policy. */
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
