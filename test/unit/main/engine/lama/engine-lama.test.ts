import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { ModelStore } from '../../../../../main/core/models/index.js';
import { createEmbeddedInpaintEngine, LAMA_METHOD_ID } from '../../../../../main/engine/embedded-inpaint-engine.js';
import { changedOutsideMask, emptyMask, fillRect, makeImage } from '../synthetic.js';
import { FILL_RGB, tinyLamaModel, tinyLamaSpec } from './tiny-lama-model.js';

const MODEL = tinyLamaModel();
let dir: string;
let store: ModelStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-engine-lama-'));
  // A store whose "lama" entry is the tiny stand-in (same id, same contract as the real one).
  store = new ModelStore({ hubDir: join(dir, 'hub'), hubUrl: 'http://127.0.0.1:1', registry: [tinyLamaSpec(MODEL)] });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded engine\'s "lama" method', () => {
  it('is listed as not installed and fails with a message naming the download command', async () => {
    const engine = createEmbeddedInpaintEngine({ lama: { store } });
    try {
      const lama = engine.methods().find((m) => m.id === LAMA_METHOD_ID);
      expect(lama).toMatchObject({ id: 'lama', isDefault: false, model: 'lama', installed: false });
      expect(engine.methods().filter((m) => m.isDefault)).toHaveLength(1);
      const image = makeImage(64, 48, 3, () => 100);
      const err = await engine.inpaint({ image, mask: fillRect(emptyMask(64, 48), 5, 5, 20, 20), method: 'lama' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('not-found');
      expect((err as AppError).message).toMatch(/model is not installed: run "adstudio models download lama"/);
      await expect(engine.inpaint({ image, mask: emptyMask(64, 48), method: 'magic' })).rejects.toThrow(/unknown inpainting method "magic"; available: .*patchmatch, lama/);
    } finally {
      await engine.close();
    }
  });

  it('runs once the model is installed: masked pixels from the network, the rest bit-identical', async () => {
    const file = join(dir, 'lama_fp32.onnx');
    writeFileSync(file, MODEL);
    await store.importFile('lama', file);
    const engine = createEmbeddedInpaintEngine({ lama: { store, threads: 2 } });
    try {
      expect(engine.methods().find((m) => m.id === 'lama')?.installed).toBe(true);
      const image = makeImage(900, 700, 4, (x, y, c) => (c === 3 ? 255 - ((x + y) % 200) : (x * (c + 1) + y) % 256));
      const mask = fillRect(fillRect(emptyMask(900, 700), 100, 80, 800, 120), 400, 500, 460, 560);
      const progress: number[] = [];
      const result = await engine.inpaint({ image, mask, method: 'lama', onProgress: (p) => progress.push(p) });
      expect(result.madeBy).toBe('inpaint:lama');
      expect(progress.at(-1)).toBe(1);
      expect(changedOutsideMask(image.data, result.image.data, mask, 4)).toEqual([]);
      const at = (x: number, y: number) => [...result.image.data.subarray((y * 900 + x) * 4, (y * 900 + x) * 4 + 4)];
      expect(at(430, 530)).toEqual([...FILL_RGB, image.data[(530 * 900 + 430) * 4 + 3]]);
      expect(at(100, 80).slice(0, 3)).toEqual([...FILL_RGB]);
    } finally {
      await engine.close();
    }
  });
});
