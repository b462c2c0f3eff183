import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, ENGINE_STATES } from '../../../../main/core/containers/engine-states.js';

describe('engine states', () => {
  it('allows the documented life: absent → building/pulling → created → starting → healthy → stopping → stopped', () => {
    const path = ['absent', 'building', 'created', 'starting', 'healthy', 'stopping', 'stopped'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('absent', 'pulling')).toBe(true);
    expect(canTransition('pulling', 'created')).toBe(true);
  });

  it('every state can fail into error, and error can be retried or re-observed', () => {
    for (const s of ENGINE_STATES) expect(canTransition(s, 'error')).toBe(true);
    for (const s of ENGINE_STATES) if (s !== 'error') expect(canTransition('error', s)).toBe(true);
  });

  it('refuses jumps that would hide work (a build cannot end healthy without a container)', () => {
    expect(canTransition('building', 'healthy')).toBe(false);
    expect(canTransition('absent', 'stopping')).toBe(false);
    expect(canTransition('stopping', 'healthy')).toBe(false);
    expect(() => assertTransition('demo', 'pulling', 'starting')).toThrow(/illegal state change pulling → starting/);
  });
});
