/**
 * Turns an engine's progress callbacks into events a UI can afford: values only go up, updates
 * are at least `minIntervalMs` apart, and the final 1.0 is always delivered (immediately).
 */
export interface ProgressThrottle {
  update(progress: number, message?: string): void;
  finish(message?: string): void;
}

export function createProgressThrottle(
  emit: (progress: number, message?: string) => void,
  minIntervalMs = 50,
  now: () => number = () => performance.now(),
): ProgressThrottle {
  let last = -1;
  let lastAt = -Infinity;
  return {
    update(progress, message) {
      if (!Number.isFinite(progress)) return;
      // 1.0 is reserved for finish(): the result is not stored yet when the engine reports 100 %.
      const p = Math.min(Math.max(progress, 0), 0.999);
      const t = now();
      if (p <= last || t - lastAt < minIntervalMs) return;
      last = p;
      lastAt = t;
      emit(p, message);
    },
    finish(message) {
      if (last >= 1) return;
      last = 1;
      lastAt = now();
      emit(1, message);
    },
  };
}
