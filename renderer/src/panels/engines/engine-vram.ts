import type { ResponseOf } from '../../../../preload/contract/channels';
import type { MemoryView } from '../jobs/jobs-model';

/** What getEngineMemory answers: a running engine's card (gpu null = CPU only). */
export type EngineMemory = ResponseOf<'getEngineMemory'>;

/** A reading, or why there is none (not answering, no protocol for it). */
export type EngineMemoryState = { memory: EngineMemory } | { error: string; code: string };

/**
 * An engine's reading in the shape the Jobs panel's VRAM bar draws. Engines without a budget of
 * their own (nanoCocoa) get the whole card as the budget; the bar is told to draw no budget mark.
 */
export function engineMemoryView(m: EngineMemory): MemoryView {
  return {
    gpu: m.gpu ? { device: 'gpu', totalMb: m.gpu.totalMb, usedMb: m.gpu.usedMb, budgetMb: m.gpu.budgetMb ?? m.gpu.totalMb, simulated: m.gpu.simulated } : null,
    resident: m.resident,
    simulated: m.simulated,
    engine: m.profile,
  };
}

export function hasBudget(m: EngineMemory): boolean {
  return m.gpu?.budgetMb !== undefined;
}
