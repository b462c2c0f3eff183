import { AppError } from '../../preload/contract/index.js';
import type { StageEngine, StageKind } from '../engine/stage-engine.js';

/**
 * Asked at call time, never assumed: the engine may be the embedded one (whose stages grow), an
 * `adstudio serve` elsewhere, or the nanoCocoa server. A missing stage is an error that names it.
 */
export async function requireStages(engine: StageEngine, tool: string, kinds: readonly StageKind[]): Promise<void> {
  const caps = await engine.capabilities();
  const missing = kinds.filter((k) => !caps.stages.includes(k));
  if (missing.length) {
    throw new AppError(
      'unsupported',
      `the engine in use (${caps.engine} ${caps.version}) has no "${missing.join('", "')}" stage, which ${tool} needs; it runs: ${caps.stages.join(', ') || 'nothing'}. ` +
        'Use another engine (adstudio mcp --engine) or a newer adstudio.',
    );
  }
}

/**
 * The model a stage runs on: the one asked for (it must exist), else one the engine declares for that
 * stage (a resident one first), else none (a model-less stage, e.g. the patch-based erase).
 */
export async function modelFor(engine: StageEngine, kind: StageKind, preferred?: string | null): Promise<string | null> {
  const models = await engine.models();
  if (preferred) {
    if (!models.some((m) => m.id === preferred)) {
      throw new AppError('not-found', `the engine has no model "${preferred}"; it has: ${models.map((m) => m.id).join(', ') || 'none'}`);
    }
    return preferred;
  }
  const candidates = models.filter((m) => m.stage === kind);
  return (candidates.find((m) => m.resident) ?? candidates[0])?.id ?? null;
}
