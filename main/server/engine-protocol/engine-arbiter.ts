import { inUseMessage, ModelClaims, ModelConflict, noRoomMessage, unloadingMessage, type ModelArbiter, type ModelUse } from '../../core/scheduler/model-arbiter.js';
import type { MemoryView, SchedulerEvent } from '../../core/scheduler/scheduler-types.js';
import type { ModelInfo, StageEngine } from '../../engine/stage-engine.js';

/**
 * The arbiter of an engine server whose scheduler is not the real one (tests, a scheduler double):
 * the same rules as the scheduler's — a client's load must fit in the engine's budget next to what
 * is resident (declared footprint, or the largest observed), loads take turns, and no model is
 * unloaded while a run uses it — from the engine's own reports. Announces loads and unloads as
 * `model` and `memory` events, as the scheduler does.
 */
export function createEngineArbiter(engine: StageEngine, o: { emit: (event: SchedulerEvent) => void; memoryView: () => Promise<MemoryView> }): ModelArbiter {
  const claims = new ModelClaims();
  const unloading = new Set<string>();
  let loadTurn: Promise<void> = Promise.resolve();
  const footprint = (m: ModelInfo) => Math.max(m.footprintMb, m.observedPeakMb ?? 0);

  const announce = async <T>(action: 'load' | 'unload', model: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    o.emit({ type: 'model', action, model, phase: 'start' });
    try {
      const result = await work();
      o.emit({ type: 'model', action, model, phase: 'done', ms: Math.round(performance.now() - started) });
      o.emit({ type: 'memory', memory: await o.memoryView() });
      return result;
    } catch (e) {
      o.emit({ type: 'model', action, model, phase: 'failed', ms: Math.round(performance.now() - started) });
      throw e;
    }
  };

  const arbiter: ModelArbiter = {
    loadForClient(model, signal) {
      const turn = loadTurn.then(async () => {
        signal.throwIfAborted();
        const models = await engine.models();
        const target = models.find((m) => m.id === model);
        if (!target || target.resident) return announce('load', model, () => engine.load(model, { signal }));
        const report = target.device === 'gpu' ? await engine.memory() : null;
        if (report && report.usedMb + footprint(target) > report.budgetMb) {
          const resident = models
            .filter((m) => m.resident && m.device === 'gpu')
            .map((m) => ({ id: m.id, label: m.label, mb: footprint(m), users: claims.uses(m.id).map((u) => u.owner) }));
          const others = models.filter((m) => !m.resident && m.device === 'gpu' && m.id !== model).map((m) => ({ id: m.id, mb: footprint(m) }));
          throw new ModelConflict(noRoomMessage({ model: target, needMb: footprint(target), usedMb: report.usedMb, budgetMb: report.budgetMb, resident, others }));
        }
        await announce('load', model, () => engine.load(model, { signal }));
      });
      loadTurn = turn.catch(() => undefined);
      return turn;
    },

    async unloadForClient(model) {
      const uses = claims.uses(model);
      if (uses.length > 0) {
        const label = (await engine.models()).find((m) => m.id === model)?.label ?? model;
        throw new ModelConflict(inUseMessage({ id: model, label }, uses));
      }
      unloading.add(model);
      try {
        await announce('unload', model, () => engine.unload(model));
      } finally {
        unloading.delete(model);
      }
    },

    claimModel(model, owner) {
      if (unloading.has(model)) throw new ModelConflict(unloadingMessage({ id: model, label: model }));
      return claims.claim(model, owner);
    },

    modelUses(model?: string): ModelUse[] {
      return claims.uses(model);
    },
  };
  return arbiter;
}
