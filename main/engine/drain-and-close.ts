import type { WorkerPool } from './worker-pool.js';

/**
 * Closes a pool whose workers may still run ONNX Runtime work (a run a cancelled job stopped waiting
 * for): terminating a worker during a native run aborts the whole process, so when there may be such
 * work, a drain job (its worker answers once its native work has ended) goes first — waited for at most
 * `limitMs`, then the pool is closed anyway. `job` may be another message its worker answers only
 * once native work has ended (e.g. LaMa's 'release', which also frees the network).
 */
export async function drainAndClose(pool: WorkerPool, mayHaveNativeWork: boolean, limitMs: number, job: { kind: string } = { kind: 'drain' }): Promise<void> {
  if (mayHaveNativeWork) {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([pool.run<{ kind: string }, null>(job).catch(() => null), limit]);
    clearTimeout(timer);
  }
  await pool.close();
}
