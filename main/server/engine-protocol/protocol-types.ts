import type { AppErrorShape } from '../../../preload/contract/index.js';
import type { JobRecord, MemoryView, SchedulerEvent } from '../../core/scheduler/scheduler-types.js';
import type { EngineCapabilities, StageKind } from '../../engine/stage-engine.js';

/**
 * Wire shapes of engine protocol v1 that are not already StageEngine/scheduler types. Shared by the
 * server (main/server/engine-protocol) and its client (main/engine/http-engine); described for other
 * clients in docs/engine-protocol.openapi.yaml. Every path in them is relative to the workspace root.
 */

export const PROTOCOL = 'adstudio/1';

export type StageRunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One stage run on a resident model, started by POST /v1/stages (a remote scheduler's unit of work). */
export interface StageRunRecord {
  id: string;
  status: StageRunStatus;
  kind: StageKind;
  model: string | null;
  inputs: Record<string, string>;
  /** The outputs asked for. */
  outputs: Record<string, string>;
  params: Record<string, unknown>;
  step: number;
  totalSteps: number;
  message: string | null;
  createdAt: number;
  finishedAt: number | null;
  /** Once done: the outputs actually written, what made them, peak memory when known. */
  result: { outputs: Record<string, string>; madeBy: string; peakMb: number | null } | null;
  error: AppErrorShape | null;
  simulated: boolean;
}

export interface CapabilitiesResponse extends EngineCapabilities {
  /** Version of adstudio serving the protocol. */
  serverVersion: string;
  /** The workspace root as the server sees it (inside a container: the mount point). */
  workspaceRoot: string;
  limits: { maxBodyBytes: number; eventBuffer: number; heartbeatMs: number };
}

export type MemoryResponse = MemoryView;

/** `data` of each SSE event (plus `simulated`); the SSE event name equals `type`. */
export type ProtocolEventData =
  | { type: 'stage'; run: StageRunRecord }
  | { type: 'job'; job: JobRecord }
  | Extract<SchedulerEvent, { type: 'memory' }>
  | Extract<SchedulerEvent, { type: 'model' }>
  | { type: 'reset'; reason: string };

export interface ErrorResponse {
  error: AppErrorShape;
  simulated: boolean;
}
