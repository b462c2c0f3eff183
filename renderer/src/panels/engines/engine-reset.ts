import type { EngineSnapshot } from './use-engines';

/** What a job lock left held by a crashed worker looks like in the words of the engine or adstudio. */
const LOCKED = /\b(lock|locked|stuck|server-reset)\b/i;

/**
 * A nanoCocoa server can be reset (POST /server-reset): offered while it runs healthy, or when what
 * the row shows says its job lock is stuck. Other protocols have no such reset.
 */
export function offersReset(e: Pick<EngineSnapshot, 'protocol' | 'state' | 'error' | 'health'>): boolean {
  if (e.protocol !== 'nanococoa') return false;
  if (e.state === 'healthy') return true;
  return LOCKED.test([e.error?.message, e.error?.action, e.health?.detail].filter(Boolean).join(' '));
}
