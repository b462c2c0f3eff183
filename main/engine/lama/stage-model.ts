import type { ModelSpec } from '../../core/models/model-registry.js';
import { catalogModel, LAMA_CATALOG_TIMES } from '../../core/scheduler/model-catalog.js';
import type { ModelDevice, ModelInfo } from '../stage-engine.js';
import type { LamaDevice } from './lama-options.js';

const MB = 1024 * 1024;

/**
 * LaMa as the scheduler sees it (StageEngine.models()): the registry's declared footprint — VRAM when
 * it runs on CUDA, RAM on the CPU — and load/unload times. The registry is the one source of the
 * footprint (the scheduler's catalog reads it too); GPU load/unload times are the catalog's. Declared
 * figures are estimates for a 208 MB fp32 network at 512² (not measured here: the real weights cannot
 * be fetched on the build machines); the scheduler corrects them from observed peaks and loads.
 */
export function lamaModelInfo(spec: ModelSpec, options: { device: ModelDevice; resident: boolean }): ModelInfo {
  const gpu = options.device === 'gpu';
  const bytes = gpu ? spec.footprint.vramBytes : spec.footprint.ramBytes;
  const times = gpu ? (catalogModel(spec.id) ?? LAMA_CATALOG_TIMES) : LAMA_CPU_TIMES;
  return {
    id: spec.id,
    stage: 'inpaint',
    label: `${spec.label} (${gpu ? 'CUDA' : 'CPU'})`,
    device: options.device,
    footprintMb: Math.round(bytes / MB),
    observedPeakMb: null,
    loadMs: times.loadMs,
    unloadMs: times.unloadMs,
    resident: options.resident,
    source: `declared estimate (registry entry "${spec.id}": ${spec.source})`,
  };
}

/** On the CPU: reading 208 MB and building the session takes longer than on a GPU box; release is quick. Estimates. */
const LAMA_CPU_TIMES = { loadMs: 2500, unloadMs: 200 };

/**
 * Where LaMa's memory is accounted: the provider of an open session when there is one, else where
 * `device` will put it (auto = CUDA only when its provider library is there).
 */
export function lamaDeviceClass(device: LamaDevice, provider: 'cpu' | 'cuda' | null, cudaAvailable: () => boolean): ModelDevice {
  if (provider) return provider === 'cuda' ? 'gpu' : 'cpu';
  if (device === 'cuda') return 'gpu';
  return device === 'auto' && cudaAvailable() ? 'gpu' : 'cpu';
}
