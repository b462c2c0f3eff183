import { AppError } from '../../../preload/contract/index.js';

/**
 * An engine container's life: absent → building/pulling → created → starting → healthy → stopping →
 * stopped, and error (with a reason a person can act on) from anywhere. Observations of the daemon
 * (someone ran `docker stop`, the container died, another app instance started it) may jump along the
 * edges below too; anything else is a bug in the manager and throws.
 */
export const ENGINE_STATES = ['absent', 'building', 'pulling', 'created', 'starting', 'healthy', 'stopping', 'stopped', 'error'] as const;
export type EngineState = (typeof ENGINE_STATES)[number];

const EDGES: Record<EngineState, readonly EngineState[]> = {
  // Found nothing yet; a found container may be in any observable state.
  absent: ['building', 'pulling', 'created', 'starting', 'healthy', 'stopped', 'error'],
  building: ['absent', 'created', 'error'],
  pulling: ['absent', 'created', 'error'],
  created: ['starting', 'healthy', 'stopped', 'absent', 'error'],
  starting: ['healthy', 'stopping', 'stopped', 'absent', 'error'],
  // Healthy → starting: the health check stopped answering while the container runs (or a restart).
  healthy: ['starting', 'stopping', 'stopped', 'absent', 'error'],
  stopping: ['stopped', 'absent', 'error'],
  stopped: ['building', 'pulling', 'created', 'starting', 'healthy', 'absent', 'error'],
  // Every way out of an error is a retry or a fresh observation.
  error: ['absent', 'building', 'pulling', 'created', 'starting', 'healthy', 'stopping', 'stopped'],
};

export function canTransition(from: EngineState, to: EngineState): boolean {
  return from === to || EDGES[from].includes(to);
}

export function assertTransition(profile: string, from: EngineState, to: EngineState): void {
  if (!canTransition(from, to)) throw new AppError('internal', `engine ${profile}: illegal state change ${from} → ${to}`);
}

/** States in which a container exists and its process runs (or is about to). */
export function isRunningState(s: EngineState): boolean {
  return s === 'starting' || s === 'healthy';
}
