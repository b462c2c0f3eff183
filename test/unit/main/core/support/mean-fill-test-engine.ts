import { AppError } from '../../../../../preload/contract/index.js';
import type { InpaintEngine, InpaintRequest, InpaintResult } from '../../../../../main/engine/inpaint-engine.js';

export interface TestEngineOptions {
  /** Progress callbacks per run, spread over `stepMs` each. */
  steps?: number;
  stepMs?: number;
  /** Ignore the abort signal (an engine slow to stop). */
  ignoreAbort?: boolean;
  fail?: Error;
}

/**
 * TEST DOUBLE, not an inpainting method: fills every masked pixel with the mean colour of the
 * unmasked pixels. Deterministic and instant, so job plumbing (progress, cancel, results) can be
 * tested without the real embedded engine.
 */
export function meanFillTestEngine(opts: TestEngineOptions = {}): InpaintEngine & { closed: boolean; runs: number } {
  const { steps = 4, stepMs = 5 } = opts;
  const engine = {
    closed: false,
    runs: 0,
    methods: () => [
      { id: 'test-mean', label: 'Mean fill (test double)', isDefault: true },
      { id: 'test-other', label: 'Other (test double)', isDefault: false },
    ],
    async inpaint(req: InpaintRequest): Promise<InpaintResult> {
      engine.runs++;
      if (opts.fail) throw opts.fail;
      const { image, mask } = req;
      for (let s = 1; s <= steps; s++) {
        if (req.signal?.aborted && !opts.ignoreAbort) throw new AppError('cancelled', 'Cancelled');
        await new Promise((r) => setTimeout(r, stepMs));
        req.onProgress?.(s / steps, `step ${s}`);
      }
      const c = image.channels;
      const sum = [0, 0, 0, 0];
      let n = 0;
      for (let p = 0; p < image.width * image.height; p++) {
        if (mask.data[p]! >= 128) continue;
        for (let k = 0; k < c; k++) sum[k]! += image.data[p * c + k]!;
        n++;
      }
      const out = new Uint8Array(image.data);
      for (let p = 0; p < image.width * image.height; p++) {
        if (mask.data[p]! < 128) continue;
        for (let k = 0; k < c; k++) out[p * c + k] = Math.round(sum[k]! / Math.max(1, n));
      }
      return { image: { ...image, data: out }, madeBy: `inpaint:${req.method ?? 'test-mean'}` };
    },
    async close() {
      engine.closed = true;
    },
  };
  return engine;
}
