import { AppError } from '../../../preload/contract/index.js';

/** Why an engine container cannot run; the UI keys buttons on these (e.g. "use the embedded engine"). */
export type ContainerErrorReason =
  | 'daemon-unreachable'
  | 'image-missing'
  | 'build-failed'
  | 'pull-failed'
  | 'no-gpu-runtime'
  | 'gpu-unusable'
  | 'port-taken'
  | 'name-taken'
  | 'health-timeout'
  | 'unhealthy'
  | 'exited'
  | 'busy'
  /** A person asked to remove a container that runs: it is left running (stop it first). */
  | 'running'
  | 'unknown-profile'
  | 'daemon-error';

export interface ContainerErrorInfo {
  reason: ContainerErrorReason;
  /** What went wrong, in one sentence. */
  message: string;
  /** What to do about it, in one sentence (a command to run, a setting to change). */
  action: string;
  /** True when the embedded engine is the sensible way out (no GPU runtime, no Docker). */
  offerEmbedded: boolean;
}

/**
 * An AppError('engine') carrying the reason and the action. Its message is one line holding both, so
 * the CLI (which prints the first line) and logs show what to do.
 */
export class ContainerError extends AppError {
  readonly info: ContainerErrorInfo;

  constructor(reason: ContainerErrorReason, message: string, action: string, offerEmbedded = false) {
    super('engine', `${message} ${action}`.trim());
    this.name = 'ContainerError';
    this.info = { reason, message, action, offerEmbedded };
  }
}

export function isContainerError(e: unknown): e is ContainerError {
  return e instanceof ContainerError;
}

/** Any failure as the {reason, message, action} the state snapshot carries. */
export function errorInfo(e: unknown): ContainerErrorInfo {
  if (e instanceof ContainerError) return e.info;
  const message = e instanceof Error ? e.message : String(e);
  return { reason: 'daemon-error', message, action: 'See the engine log for details, then try again.', offerEmbedded: false };
}
