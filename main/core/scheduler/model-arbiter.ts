import { AppError } from '../../../preload/contract/index.js';
import { formatGb } from './memory-wait.js';

/** Who uses a model right now: a stage of one of the scheduler's jobs, or a run a client started (POST /v1/stages). */
export interface ModelUse {
  model: string;
  /** For people: `stage run r-…`, `job "Erase text" (id), stage "refine"`. */
  owner: string;
}

/**
 * Loads, unloads and runs asked for from outside a scheduler — remote clients of `adstudio serve`
 * (/v1/models/{id}/load|unload, /v1/stages) — arbitrated with the scheduler's own work on the same
 * engine, so that between them the budget is never exceeded and no model is unloaded under a live
 * run. The scheduler implements it; a server without one uses a plain arbiter over the engine.
 */
export interface ModelArbiter {
  /** Loads for a client; refuses (ModelConflict) when the model does not fit next to what is resident. */
  loadForClient(model: string, signal: AbortSignal): Promise<void>;
  /** Unloads for a client; refuses (ModelConflict) while a live run uses the model. */
  unloadForClient(model: string): Promise<void>;
  /**
   * A run outside the scheduler uses `model` until the returned function is called: meanwhile it is
   * never evicted or unloaded. Throws ModelConflict while the model is being unloaded.
   */
  claimModel(model: string, owner: string): () => void;
  /** Live uses of `model` (every model when omitted). */
  modelUses(model?: string): ModelUse[];
}

/**
 * A load or unload that would break the arbitration (the model does not fit in the budget next to
 * what is resident, or a live run uses it). Transient ('engine-busy': it works once something ends
 * or is unloaded); the engine protocol answers it with 409.
 */
export class ModelConflict extends AppError {
  constructor(message: string) {
    super('engine-busy', message);
    this.name = 'ModelConflict';
  }
}

export function isModelArbiter(x: unknown): x is ModelArbiter {
  const o = x as Partial<ModelArbiter> | null;
  return typeof o === 'object' && o !== null && typeof o.loadForClient === 'function' && typeof o.unloadForClient === 'function' && typeof o.claimModel === 'function' && typeof o.modelUses === 'function';
}

/** A registry of runs outside the scheduler and the models they use (claimModel). */
export class ModelClaims {
  private readonly claims = new Map<number, ModelUse>();
  private next = 0;
  /** Called after a claim is released (the scheduler plans again: a model it waited for may be free). */
  onRelease: (() => void) | null = null;

  claim(model: string, owner: string): () => void {
    const id = this.next++;
    this.claims.set(id, { model, owner });
    return () => {
      if (this.claims.delete(id)) this.onRelease?.();
    };
  }

  has(model: string): boolean {
    for (const c of this.claims.values()) if (c.model === model) return true;
    return false;
  }

  uses(model?: string): ModelUse[] {
    return [...this.claims.values()].filter((c) => model === undefined || c.model === model).map((c) => ({ ...c }));
  }

  models(): string[] {
    return [...new Set([...this.claims.values()].map((c) => c.model))];
  }
}

export interface ResidentForMessage {
  id: string;
  label: string;
  /** What it takes, MB. */
  mb: number;
  /** Who uses it now (empty: idle, can be unloaded). */
  users: string[];
}

/**
 * Why a client's load was refused, and what to do: what is resident (and who uses it), how much
 * would fit now, which idle models to unload to make room (largest first, as few as possible).
 */
export function noRoomMessage(o: {
  model: { id: string; label: string };
  needMb: number;
  usedMb: number;
  budgetMb: number;
  resident: readonly ResidentForMessage[];
  /** Models that are not resident, with what they take: those that fit now are named. */
  others?: ReadonlyArray<{ id: string; mb: number }>;
}): string {
  const free = Math.max(0, o.budgetMb - o.usedMb);
  const name = o.model.label === o.model.id ? o.model.id : `${o.model.label} (${o.model.id})`;
  const lines = [`Loading ${name} needs ${formatGb(o.needMb)} of VRAM, but only ${formatGb(free)} of the ${formatGb(o.budgetMb)} budget is free (${formatGb(o.usedMb)} in use).`];
  const accounted = o.resident.reduce((sum, m) => sum + m.mb, 0);
  lines.push(
    o.resident.length
      ? `Resident: ${o.resident.map((m) => `${m.id} ${formatGb(m.mb)} (${m.users.length ? `in use by ${m.users.join(', ')}` : 'idle'})`).join(', ')}.`
      : 'No model is resident.',
  );
  if (o.usedMb - accounted >= 256) {
    lines.push(`${formatGb(o.usedMb - accounted)} of it belongs to no resident model: memory an unload is still giving back, or another program.`);
  }
  const fits = (o.others ?? []).filter((m) => m.mb <= free).map((m) => m.id);
  lines.push(`What fits now: up to ${formatGb(free)}${fits.length ? ` (${fits.join(', ')})` : ''}.`);
  if (o.needMb > o.budgetMb) {
    lines.push(`${o.model.id} needs more than the whole budget; use a smaller model or a bigger GPU.`);
    return lines.join(' ');
  }
  const shortfall = o.usedMb + o.needMb - o.budgetMb;
  const idle = o.resident.filter((m) => m.users.length === 0).sort((a, b) => b.mb - a.mb || (a.id < b.id ? -1 : 1));
  const unload: string[] = [];
  let freed = 0;
  for (const m of idle) {
    if (freed >= shortfall) break;
    unload.push(m.id);
    freed += m.mb;
  }
  if (freed >= shortfall) {
    lines.push(`Unload ${unload.join(' and ')} first (POST /v1/models/{id}/unload), then load ${o.model.id} again.`);
  } else {
    const busy = o.resident.filter((m) => m.users.length > 0).map((m) => m.id);
    lines.push(
      `Unloading every idle model${unload.length ? ` (${unload.join(', ')})` : ''} would not make enough room` +
        `${busy.length ? ` while ${busy.join(', ')} ${busy.length > 1 ? 'are' : 'is'} in use` : ''}; wait for those runs to end, or for the memory to come back, and try again.`,
    );
  }
  return lines.join(' ');
}

/** Why a client's unload was refused: the runs using the model. */
export function inUseMessage(model: { id: string; label: string }, uses: readonly ModelUse[]): string {
  const name = model.label === model.id ? model.id : `${model.label} (${model.id})`;
  const owners = [...new Set(uses.map((u) => u.owner))];
  return (
    `${name} is in use by ${owners.join(', ')}; it cannot be unloaded until ${owners.length > 1 ? 'they end' : 'that ends'} ` +
    '(cancel the run to stop it sooner), so nothing is removed under a running stage.'
  );
}

/** Refused claim: a run cannot start on a model while it is being unloaded. */
export function unloadingMessage(model: { id: string; label: string }): string {
  return `${model.id} is being unloaded; load it again (POST /v1/models/${model.id}/load) before running a stage on it.`;
}
