import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../preload/contract/index.js';
import type { StageEngine } from '../../engine/stage-engine.js';

export interface HealthWatchOptions {
  /** Poll engine.health() this often while the stage runs; 0 turns the watch off. */
  pollMs: number;
  /** After the signal aborts, how long the engine may take to stop before we give the stage up. */
  graceMs: number;
}

/**
 * Runs a stage while watching the engine: when health() says unhealthy (or fails twice in a row)
 * the stage is aborted and rejects as an engine crash with the engine's reason. An engine that
 * does not stop within `graceMs` of an abort (cancel, close, crash) is given up on, so a hung
 * engine cannot block the lane forever.
 */
export async function withHealthWatch<T>(
  engine: StageEngine,
  controller: AbortController,
  options: HealthWatchOptions,
  run: (signal: AbortSignal) => Promise<T>,
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
  try {
    return await Promise.race([run(controller.signal), giveUp]);
  } catch (e) {
    if (state.unhealthy) throw new AppError('engine', `${state.unhealthy}.`);
    throw e;
  } finally {
    stop.abort();
  }
}
