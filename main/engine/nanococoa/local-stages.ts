import { AppError } from '../../../preload/contract/index.js';
import type { EngineCapabilities, EngineHealth, ModelInfo, StageContext, StageEngine, StageRequest, StageResult } from '../stage-engine.js';

/**
 * One StageEngine over two: what `remote` is for (e.g. the nanoCocoa server's FLUX backgrounds and
 * 3D lettering) goes there; everything else (text detection, erase, cut-outs, preset backdrops, ...)
 * runs on `local`, the embedded engine. So a scheduler with a single engine can use the seed's GPU
 * server for what it is good at while adstudio's own stages fill what it lacks.
 *
 * A stage goes to the remote engine when its model is one of the remote's, when it names no model and
 * the local engine has no such stage, or when it is a background drawn from a prompt (params.prompt;
 * the editor labels each prompt candidate with a preset too, but the prompt is what the person asked
 * for, and the embedded engine would only turn it into a preset). Otherwise it stays local, above all
 * a preset backdrop (model null, params.preset, no prompt): routed by kind alone, it became a FLUX
 * job and its preset was silently dropped.
 *
 * Health follows the local engine (a GPU container restarting must not abort a local erase); the
 * remote engine's trouble is said in the message and surfaces from its own stages. Memory is the
 * remote engine's GPU. Model ids must not collide.
 */
export function withLocalStages(remote: StageEngine, local: StageEngine): StageEngine {
  let localStages: Set<string> | null = null;
  const localKinds = async () => (localStages ??= new Set((await local.capabilities()).stages));
  const ownerOf = async (modelId: string): Promise<StageEngine> => {
    if ((await remote.models()).some((m) => m.id === modelId)) return remote;
    return local;
  };
  const runsRemotely = async (request: StageRequest): Promise<boolean> => {
    if (request.model !== null) return (await remote.models()).some((m) => m.id === request.model);
    if (!(await localKinds()).has(request.kind)) return true;
    return request.kind === 'background' && isPrompt(request.params?.prompt);
  };
  const tagged = (tag: 'r' | 'l', context: StageContext): StageContext => ({
    ...context,
    ...(context.onRunId ? { onRunId: (id: string) => context.onRunId?.(`${tag}:${id}`) } : {}),
  });

  return {
    async capabilities(): Promise<EngineCapabilities> {
      const [r, l] = await Promise.all([remote.capabilities(), local.capabilities()]);
      return {
        engine: `${r.engine}+${l.engine}`,
        version: `${r.version}+${l.version}`,
        protocol: r.protocol,
        simulated: r.simulated || l.simulated,
        stages: [...new Set([...r.stages, ...l.stages])],
        inpaintMethods: l.inpaintMethods,
      };
    },

    async health(): Promise<EngineHealth> {
      const [r, l] = await Promise.all([remote.health(), local.health()]);
      const notes = [r.status !== 'healthy' ? `remote engine unhealthy: ${r.message ?? 'no reason given'}` : r.message, l.message].filter(Boolean);
      return { status: l.status, ...(notes.length ? { message: notes.join('; ') } : {}), simulated: r.simulated || l.simulated, gpu: r.gpu ?? l.gpu };
    },

    async models(): Promise<ModelInfo[]> {
      const [r, l] = await Promise.all([remote.models(), local.models()]);
      return [...r, ...l];
    },

    async load(modelId, options) {
      return (await ownerOf(modelId)).load(modelId, options);
    },

    async unload(modelId) {
      return (await ownerOf(modelId)).unload(modelId);
    },

    async memory() {
      return (await remote.memory()) ?? (await local.memory());
    },

    async runStage(request: StageRequest, context: StageContext): Promise<StageResult> {
      if (await runsRemotely(request)) return remote.runStage(request, tagged('r', context));
      return local.runStage(request, tagged('l', context));
    },

    async reattach(runId: string, context: StageContext): Promise<StageResult> {
      const engine = runId.startsWith('r:') ? remote : runId.startsWith('l:') ? local : null;
      if (!engine?.reattach) throw new AppError('not-found', `no engine can pick up run "${runId}"`);
      return engine.reattach(runId.slice(2), context);
    },

    async close() {
      await Promise.all([remote.close(), local.close()]);
    },
  };
}

/** A prompt asks for a generated background; an empty one asks for nothing. */
function isPrompt(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
