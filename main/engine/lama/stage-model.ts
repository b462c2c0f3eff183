import type { ModelSpec } from '../../core/models/model-registry.js';
import type { ModelInfo } from '../stage-engine.js';

const MB = 1024 * 1024;

/**
 * LaMa as the scheduler sees it (StageEngine.models()): the registry's declared footprint — VRAM when
 * it runs on CUDA, RAM on the CPU — and load/unload times. Declared figures are estimates for a
 * 208 MB fp32 network at 512² (not measured here: the real weights cannot be fetched on the build
 * machines); the scheduler corrects them from observed peaks and loads.
 */
export function lamaModelInfo(spec: ModelSpec, options: { device: 'cpu' | 'gpu'; resident: boolean }): ModelInfo {
  const bytes = options.device === 'gpu' ? spec.footprint.vramBytes : spec.footprint.ramBytes;
  return {
    id: spec.id,
    stage: 'inpaint',
    label: `${spec.label} (${options.device === 'gpu' ? 'CUDA' : 'CPU'})`,
    device: options.device,
    footprintMb: Math.round(bytes / MB),
    observedPeakMb: null,
    loadMs: options.device === 'gpu' ? 4000 : 2500,
    unloadMs: 200,
    resident: options.resident,
    source: `declared estimate (registry entry "${spec.id}": ${spec.source})`,
  };
}
