import { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import type { EngineProtocol } from './profiles.js';

/** VRAM as a running engine reports it; `gpu` null = the engine runs without a GPU. */
export interface EngineMemory {
  gpu: { usedMb: number; totalMb: number; budgetMb?: number; simulated: boolean } | null;
  resident: { id: string; label: string; device: 'gpu' | 'cpu'; footprintMb: number }[];
  simulated: boolean;
}

export interface MemoryProbeRequest {
  protocol: EngineProtocol;
  /** e.g. http://127.0.0.1:8765 */
  url: string;
  /** The adstudio engine's access token (from the container's environment); null when unknown. */
  token: string | null;
  healthPath: string;
  signal?: AbortSignal;
}

/** One memory reading. Tests inject their own; the default asks the engine over HTTP. */
export type MemoryProbe = (request: MemoryProbeRequest) => Promise<EngineMemory>;

const mb = z.number().nonnegative();

/** `adstudio serve` GET /v1/memory (main/server/engine-protocol/routes.ts). */
const adstudioMemorySchema = z.object({
  gpu: z.object({ device: z.enum(['gpu', 'cpu']), totalMb: mb, usedMb: mb, budgetMb: mb, simulated: z.boolean() }).nullable(),
  resident: z.array(z.object({ id: z.string(), label: z.string(), device: z.enum(['gpu', 'cpu']), footprintMb: mb })).default([]),
  simulated: z.boolean().default(false),
});

/** nanoCocoa GET /health: system_metrics.gpu_info[] with vram_used_gb / vram_total_gb (../shared/reference/nanococoa-server.md). */
const nanococoaHealthSchema = z.object({
  system_metrics: z
    .object({ gpu_info: z.array(z.object({ vram_used_gb: z.number().nonnegative(), vram_total_gb: z.number().nonnegative() }).loose()).default([]) })
    .loose()
    .optional(),
});

/**
 * Reads what the adstudio engine's /v1/memory says. A report of device "cpu" counts as no GPU: the
 * bar would otherwise draw RAM as if it were a card.
 */
export function memoryFromAdstudio(body: unknown): EngineMemory {
  const parsed = adstudioMemorySchema.safeParse(body);
  if (!parsed.success) throw new AppError('engine', `the engine's /v1/memory answer is not what adstudio expects (${parsed.error.issues[0]?.message ?? 'unknown shape'}); is it an adstudio engine of this version?`);
  const { gpu, resident, simulated } = parsed.data;
  return {
    gpu: gpu && gpu.device === 'gpu' ? { usedMb: gpu.usedMb, totalMb: gpu.totalMb, budgetMb: gpu.budgetMb, simulated: gpu.simulated } : null,
    resident: resident.slice(0, 64).map((m) => ({ id: m.id.slice(0, 128), label: m.label.slice(0, 200), device: m.device, footprintMb: m.footprintMb })),
    simulated: simulated || (gpu?.simulated ?? false),
  };
}

/**
 * Reads nanoCocoa's /health. Its first GPU is the card (the server runs one model at a time on it);
 * no gpu_info at all means it sees no GPU. It has no budget of its own and never simulates.
 */
export function memoryFromNanococoaHealth(body: unknown): EngineMemory {
  const parsed = nanococoaHealthSchema.safeParse(body);
  if (!parsed.success) throw new AppError('engine', `the nanoCocoa /health answer has no readable system_metrics.gpu_info (${parsed.error.issues[0]?.message ?? 'unknown shape'})`);
  const first = parsed.data.system_metrics?.gpu_info[0];
  const toMb = (gb: number) => Math.round(gb * 1024);
  return {
    gpu: first && first.vram_total_gb > 0 ? { usedMb: toMb(first.vram_used_gb), totalMb: toMb(first.vram_total_gb), simulated: false } : null,
    resident: [],
    simulated: false,
  };
}

/** GET with a short timeout; the answer's JSON, or an AppError that says what went wrong. */
async function getJson(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(5_000);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } };
    if (err.name === 'TimeoutError') throw new AppError('engine-busy', `${url} did not answer within 5 s`);
    if (err.name === 'AbortError') throw new AppError('cancelled', 'the memory reading was cancelled');
    throw new AppError('engine-busy', `${url} did not answer (${err.cause?.code ?? (e as Error).message})`);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 401 || res.status === 403) {
    throw new AppError('unauthorized', `${url} refused adstudio's token (HTTP ${res.status}): the container was not started by adstudio; restart it from the Engines panel to let adstudio hand it a token`);
  }
  if (!res.ok) throw new AppError(res.status === 503 ? 'engine-busy' : 'engine', `${url} answered HTTP ${res.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('engine', `${url} answered with something that is not JSON`);
  }
}

export const httpMemoryProbe: MemoryProbe = async (r) => {
  const base = r.url.replace(/\/+$/, '');
  if (r.protocol === 'adstudio-v1') {
    if (!r.token) throw new AppError('unauthorized', `the engine at ${base} needs a token adstudio does not know (its container has no ADSTUDIO_TOKEN); restart it from the Engines panel`);
    return memoryFromAdstudio(await getJson(`${base}/v1/memory`, { authorization: `Bearer ${r.token}` }, r.signal));
  }
  if (r.protocol === 'nanococoa') return memoryFromNanococoaHealth(await getJson(`${base}${r.healthPath}`, {}, r.signal));
  throw new AppError('unsupported', 'this engine speaks no protocol adstudio knows (only its health route), so it cannot report its VRAM');
};
