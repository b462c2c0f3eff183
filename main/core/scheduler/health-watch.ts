import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import type { StageEngine } from '../../engine/stage-engine.js';

export interface HealthWatchOptions {
  /** Poll engine.health() this often while the stage runs; 0 turns the watch off. */
  pollMs: number;
  /** After the signal aborts, how long the engine may take to stop before we give the stage up. */
  graceMs: number;
  /**
   * The stall watchdog: no progress (a call of the `progressed` callback) for this long stops the
   * stage as a crash, "no progress for N s". 0 or absent turns it off.
   */
  stallMs?: number;
  /** The stage's expected run time, ms, for the stall message (null when unknown). */
  expectedMs?: number | null;
}

/** How long a stage may go without progress: k × its expected run time, never less than a floor. */
export interface StallWatchOptions {
  /** k: multiples of the stage's expected (whole) run time. */
  factor: number;
  /** Never less than this, ms (timer slack, a slow first step, a loaded machine). */
  floorMs: number;
}

/**
 * Defaults: 5 × the expected time, at least 2 min. Generous on purpose: the embedded engine's CPU
 * stages report progress coarsely (a whole-image erase says nothing until it ends) and a first run
 * has only the catalog's guess; a wedged stage is still caught within minutes instead of never.
 */
export const DEFAULT_STALL_WATCH: StallWatchOptions = { factor: 5, floorMs: 120_000 };

/** Treated as the run time of a stage nobody knows anything about (no measurement, no catalog figure). */
const UNKNOWN_RUN_MS = 120_000;

/**
 * The stall limit for a stage expected to take `expectedMs` in all: a step-reporting stage resets
 * the clock at every step, so only a stage that truly stops (or reports nothing for several times
 * its whole expected duration) trips it. FLUX (133 s, 25 steps of ~5 s) gets 665 s between steps.
 */
export function stallLimitMs(expectedMs: number | null, options: StallWatchOptions): number {
  const expected = expectedMs !== null && Number.isFinite(expectedMs) && expectedMs > 0 ? expectedMs : UNKNOWN_RUN_MS;
  return Math.max(options.factor * expected, options.floorMs);
}

/**
 * Runs a stage while watching the engine: when health() says unhealthy (or fails twice in a row)
 * the stage is aborted and rejects as an engine crash with the engine's reason. An engine that
 * looks healthy but whose stage stops making progress (no `progressed()` for `stallMs`) is treated
 * the same way, with the reason "no progress for N s" — the embedded engine is always healthy, so
 * without this a wedged stage would run forever. An engine that does not stop within `graceMs` of
 * an abort (cancel, close, crash, stall) is given up on, so a hung engine cannot block the lane.
 */
export async function withHealthWatch<T>(
  engine: StageEngine,
  controller: AbortController,
  options: HealthWatchOptions,
  run: (signal: AbortSignal, progressed: () => void) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  // An object, not a `let`: it is written inside the watch loop, which TypeScript's narrowing cannot see.
  const state: { unhealthy: string | null } = { unhealthy: null };

  const watch = async () => {
    let failures = 0;
    while (!stop.signal.aborted && !controller.signal.aborted) {
      await sleep(options.pollMs, undefined, { signal: stop.signal });
      try {
        const health = await engine.health();
        failures = 0;
        if (health.status === 'unhealthy') state.unhealthy = `The engine became unhealthy${health.message ? ` (${health.message})` : ''}`;
      } catch (e) {
        if (++failures >= 2) state.unhealthy = `The engine stopped answering (${e instanceof Error ? e.message : String(e)})`;
      }
      if (state.unhealthy && !stop.signal.aborted) controller.abort();
    }
  };

  // The stall watchdog: one timer, re-armed for the time left since the last progress.
  const stallMs = options.stallMs ?? 0;
  let lastProgress = performance.now();
  let stallTimer: NodeJS.Timeout | null = null;
  const checkStall = () => {
    stallTimer = null;
    if (stop.signal.aborted || controller.signal.aborted) return;
    const idle = performance.now() - lastProgress;
    if (idle < stallMs) {
      stallTimer = setTimeout(checkStall, stallMs - idle);
      return;
    }
    const expected = options.expectedMs ? ` (it usually takes about ${formatDuration(options.expectedMs)} in all)` : '';
    state.unhealthy = `No progress for ${formatDuration(stallMs)}${expected}: the stage seems stuck although the engine says it is healthy`;
    controller.abort();
  };
  const progressed = () => {
    lastProgress = performance.now();
  };

  const giveUp = new Promise<never>((_, reject) => {
    const onAbort = () => {
      sleep(options.graceMs, undefined, { signal: stop.signal }).then(
        () => reject(new AppError('engine', `The engine did not stop the stage within ${Math.round(options.graceMs / 1000)} s.`)),
        () => undefined,
      );
    };
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });

  if (options.pollMs > 0) watch().catch(() => undefined);
  if (stallMs > 0) stallTimer = setTimeout(checkStall, stallMs);
  try {
    return await Promise.race([run(controller.signal, progressed), giveUp]);
  } catch (e) {
    if (state.unhealthy) throw new AppError('engine', `${state.unhealthy}.`);
    throw e;
  } finally {
    stop.abort();
    if (stallTimer) clearTimeout(stallTimer);
  }
}

/** "665 s", "2.5 s", "0.09 s": whole seconds from 10 s up. */
function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s >= 10) return `${Math.round(s)} s`;
  return `${Number(s.toPrecision(2))} s`;
}
