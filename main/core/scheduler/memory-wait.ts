import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import type { MemoryReport, StageEngine } from '../../engine/stage-engine.js';

export interface MemoryWaitOptions {
  pollMs: number;
  timeoutMs: number;
}

export const DEFAULT_MEMORY_WAIT: MemoryWaitOptions = { pollMs: 250, timeoutMs: 60_000 };

/**
 * Polls engine.memory() until `done` holds (DESIGN.md §7: confirm memory really came back after an
 * unload — a CUDA allocator may hand it back late). Resolves with the last report, or null when the
 * engine has no GPU to watch; rejects with AppError('engine') and `explain(last)` on timeout.
 */
export async function waitForMemory(
  engine: StageEngine,
  done: (report: MemoryReport) => boolean,
  explain: (last: MemoryReport, waitedMs: number) => string,
  options: MemoryWaitOptions,
  onReport?: (report: MemoryReport) => void,
): Promise<MemoryReport | null> {
  const start = performance.now();
  for (;;) {
    const report = await engine.memory();
    if (report === null) return null;
    onReport?.(report);
    if (done(report)) return report;
    const waited = performance.now() - start;
    if (waited >= options.timeoutMs) throw new AppError('engine', explain(report, waited));
    await sleep(Math.min(options.pollMs, Math.max(1, options.timeoutMs - waited)));
  }
}

export function formatGb(mb: number): string {
  return `${(mb / 1024).toFixed(1)} GB`;
}
