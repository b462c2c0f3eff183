import type { PlannerStage } from './planner-types.js';

/**
 * Which resident models to unload so `target` fits in the budget (DESIGN.md §7: evict the least
 * useful first). Order: models no waiting stage needs (largest first, so fewer unloads free the
 * room and small ones stay warm), then models needed latest (largest `depth` of their soonest
 * stage), then needed by fewest stages, then largest. `pinned` models (in use outside the
 * scheduler) are never chosen. Returns [] when it already fits, null when the target cannot fit
 * (on an empty budget, or without evicting a pinned model).
 */
export function chooseEvictions(
  target: string,
  resident: readonly string[],
  footprintMb: (model: string) => number,
  budgetMb: number,
  waiting: readonly PlannerStage[],
  pinned: readonly string[] = [],
): string[] | null {
  const need = footprintMb(target);
  if (need > budgetMb) return null;
  let used = resident.reduce((sum, m) => sum + (m === target ? 0 : footprintMb(m)), 0);
  if (used + need <= budgetMb) return [];
  const candidates = resident
    .filter((m) => m !== target && !pinned.includes(m))
    .map((m) => {
      const users = waiting.filter((s) => s.model === m);
      return {
        model: m,
        users: users.length,
        soonest: users.length ? Math.min(...users.map((s) => s.depth)) : Infinity,
        mb: footprintMb(m),
      };
    })
    .sort((a, b) => {
      const aIdle = a.users === 0 ? 0 : 1;
      const bIdle = b.users === 0 ? 0 : 1;
      if (aIdle !== bIdle) return aIdle - bIdle;
      if (aIdle === 1 && a.soonest !== b.soonest) return b.soonest - a.soonest;
      if (a.users !== b.users) return a.users - b.users;
      if (a.mb !== b.mb) return b.mb - a.mb;
      return a.model < b.model ? -1 : 1;
    });
  const evict: string[] = [];
  for (const c of candidates) {
    if (used + need <= budgetMb) break;
    evict.push(c.model);
    used -= c.mb;
  }
  return used + need <= budgetMb ? evict : null;
}

/** True when loading `target` would unload a model that some ready stage needs right now. */
export function wouldEvictNeeded(
  target: string,
  resident: readonly string[],
  footprintMb: (model: string) => number,
  budgetMb: number,
  waiting: readonly PlannerStage[],
  pinned: readonly string[] = [],
): boolean {
  const evict = chooseEvictions(target, resident, footprintMb, budgetMb, waiting, pinned);
  if (!evict) return false;
  return evict.some((m) => waiting.some((s) => s.model === m && s.ready));
}
