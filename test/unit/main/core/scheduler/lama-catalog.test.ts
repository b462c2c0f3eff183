import { describe, expect, it } from 'vitest';
import { LAMA_MODEL } from '../../../../../main/core/models/model-registry.js';
import { catalogModel, toModelInfo } from '../../../../../main/core/scheduler/model-catalog.js';
import { lamaModelInfo } from '../../../../../main/engine/lama/stage-model.js';

describe("LaMa's footprint has one source: the model registry", () => {
  it('the scheduler catalog (simulated engine, first estimates) and the embedded engine declare the same LaMa on a GPU', () => {
    const vramMb = Math.round(LAMA_MODEL.footprint.vramBytes / (1024 * 1024));
    const catalog = catalogModel('lama');
    expect(catalog?.footprintMb).toBe(vramMb);
    const fromCatalog = toModelInfo(catalog!, false, null);
    const fromEngine = lamaModelInfo(LAMA_MODEL, { device: 'gpu', resident: false });
    for (const key of ['id', 'stage', 'device', 'footprintMb', 'loadMs', 'unloadMs'] as const) expect(fromEngine[key], key).toBe(fromCatalog[key]);
    // On the CPU the engine declares the registry's RAM figure instead.
    expect(lamaModelInfo(LAMA_MODEL, { device: 'cpu', resident: false }).footprintMb).toBe(Math.round(LAMA_MODEL.footprint.ramBytes / (1024 * 1024)));
  });
});
