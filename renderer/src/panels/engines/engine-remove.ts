import type { EngineSnapshot } from './use-engines';

/** States in which the profile's container exists but its process does not run (or failed). */
const REMOVABLE = new Set(['stopped', 'error', 'created']);

/**
 * "Remove container" is offered when the profile has a container that is not running: stopped,
 * created but never started, or in error. A running engine is stopped first, deliberately (the main
 * side refuses to remove one that still runs, e.g. an unhealthy engine in "error").
 */
export function offersRemove(e: Pick<EngineSnapshot, 'state' | 'containerId'>): boolean {
  return e.containerId !== null && REMOVABLE.has(e.state);
}

/**
 * Stop is offered while the engine runs, and in "error" when a container exists: an unhealthy
 * engine still runs, and "stop it first" must be something the row can do.
 */
export function offersStop(e: Pick<EngineSnapshot, 'state' | 'containerId'>): boolean {
  return e.state === 'starting' || e.state === 'healthy' || e.state === 'created' || (e.state === 'error' && e.containerId !== null);
}
