import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMA_MODEL } from '../../../../../main/core/models/model-registry.js';
import { contractFromSpec, cudaProviderAvailable, loadLamaSession } from '../../../../../main/engine/lama/index.js';
import { tinyLamaModel } from './tiny-lama-model.js';

/** ADSTUDIO_LAMA_DEVICE where CUDA is missing (as on this machine): auto falls back to the CPU and says so; cuda refuses. */
const noCuda = () => false;
let dir: string;
let model: string;
const contract = contractFromSpec(LAMA_MODEL);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-lama-device-'));
  model = join(dir, 'tiny.onnx');
  writeFileSync(model, tinyLamaModel());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LaMa session device', () => {
  it('auto without the CUDA provider library: runs on the CPU with one log line saying why', async () => {
    const lines: string[] = [];
    const s = await loadLamaSession(model, contract, 'auto', 1, { log: (l) => lines.push(l), cudaAvailable: noCuda });
    try {
      expect(s.provider).toBe('cpu');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^adstudio: LaMa: CUDA was requested \(ADSTUDIO_LAMA_DEVICE=auto\) but onnxruntime-node has no CUDA provider library .*ORT_CUDA=1.*running on the CPU$/);
    } finally {
      await s.release();
    }
  });

  // Here the provider library is absent, so creating a CUDA session fails as a broken driver would.
  it.skipIf(cudaProviderAvailable())('auto where the library seems there but CUDA does not start: the CPU, with the reason in the log line', async () => {
    const lines: string[] = [];
    const s = await loadLamaSession(model, contract, 'auto', 1, { log: (l) => lines.push(l), cudaAvailable: () => true });
    try {
      expect(s.provider).toBe('cpu');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^adstudio: LaMa: CUDA was requested \(ADSTUDIO_LAMA_DEVICE=auto\) but did not start \(.+\): running on the CPU$/);
    } finally {
      await s.release();
    }
  });

  it('cpu says nothing; cuda without the library fails with what to do', async () => {
    const lines: string[] = [];
    const s = await loadLamaSession(model, contract, 'cpu', 1, { log: (l) => lines.push(l) });
    await s.release();
    expect(lines).toEqual([]);
    await expect(loadLamaSession(model, contract, 'cuda', 1, { log: (l) => lines.push(l), cudaAvailable: noCuda })).rejects.toThrow(/CUDA execution provider is not available here.*ADSTUDIO_LAMA_DEVICE=cpu/);
  });
});
