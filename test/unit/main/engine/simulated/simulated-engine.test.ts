import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import type { CatalogModel } from '../../../../../main/core/scheduler/model-catalog.js';
import { createSimulatedEngine } from '../../../../../main/engine/simulated/simulated-engine.js';
import { useTempDirs } from '../../core/support/temp-dir.js';

const FIXTURE = '/work/shared/fixtures/product-banana.png';

/** Catalog-time figures (ms) for a card of 10 GB; the tests run them at timeScale 1. */
const MODELS: CatalogModel[] = [
  { id: 'big', label: 'Big', device: 'gpu', stages: ['background'], footprintMb: 6000, loadMs: 30, unloadMs: 10, run: { background: { ms: 40, steps: 4 } }, source: 'test' },
  { id: 'mid', label: 'Mid', device: 'gpu', stages: ['inpaint'], footprintMb: 3000, loadMs: 10, unloadMs: 5, run: { inpaint: { ms: 10, steps: 1 } }, source: 'test' },
  { id: 'huge', label: 'Huge', device: 'gpu', stages: ['refine'], footprintMb: 5000, loadMs: 10, unloadMs: 5, run: { refine: { ms: 10, steps: 1 } }, source: 'test' },
  { id: 'ocr-cpu', label: 'OCR on CPU', device: 'cpu', stages: ['detect_text'], footprintMb: 200, loadMs: 5, unloadMs: 1, run: { detect_text: { ms: 5, steps: 1 } }, source: 'test' },
];

function engine(extra: Parameters<typeof createSimulatedEngine>[0] = {}) {
  return createSimulatedEngine({ models: MODELS, totalMb: 10_000, budgetMb: 9_000, timeScale: 1, memoryLagMs: 40, ...extra });
}

describe('simulated-VRAM engine', () => {
  const tempDir = useTempDirs();

  it('says it is simulated in every report', async () => {
    const e = engine();
    expect((await e.capabilities()).simulated).toBe(true);
    expect((await e.capabilities()).engine).toBe('simulated-gpu');
    const health = await e.health();
    expect(health.simulated).toBe(true);
    expect(health.gpu?.simulated).toBe(true);
    expect((await e.memory())?.simulated).toBe(true);
    for (const m of await e.models()) expect(m.source).toMatch(/^simulated/);
  });

  it('loads take the declared time, count against VRAM, and refuse to go past the card', async () => {
    const e = engine();
    const t0 = performance.now();
    await e.load('big');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(28);
    expect((await e.memory())?.usedMb).toBe(6000);
    expect((await e.models()).find((m) => m.id === 'big')?.resident).toBe(true);
    await e.load('mid');
    expect((await e.memory())?.usedMb).toBe(9000);
    const oom = await e.load('huge').catch((err: unknown) => err);
    expect(oom).toBeInstanceOf(AppError);
    expect((oom as AppError).message).toContain('out of memory (simulated)');
    expect((await e.memory())?.usedMb).toBe(9000);
    expect(e.stats()).toMatchObject({ loads: 2, peakUsedMb: 9000 });
  });

  it('gives memory back only a while after an unload, like a caching allocator', async () => {
    const e = engine();
    await e.load('big');
    await e.unload('big');
    expect((await e.models()).find((m) => m.id === 'big')?.resident).toBe(false);
    expect((await e.memory())?.usedMb).toBe(6000);
    await new Promise((r) => setTimeout(r, 60));
    expect((await e.memory())?.usedMb).toBe(0);
    // Loading into memory that has not come back yet is an out-of-memory on the real card too.
    await e.load('big');
    await e.unload('big');
    expect(await e.load('mid').then(() => 'loaded')).toBe('loaded');
    await expect(e.load('big')).rejects.toThrow('out of memory (simulated)');
  });

  it('a load stopped half-way frees its memory at once', async () => {
    const e = engine();
    const controller = new AbortController();
    const loading = e.load('big', { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(loading).rejects.toMatchObject({ code: 'cancelled' });
    expect((await e.memory())?.usedMb).toBe(0);
    expect((await e.models()).find((m) => m.id === 'big')?.resident).toBe(false);
  });

  it('runs a stage in steps, copies the input image as its placeholder and reports its peak', async () => {
    const dir = await tempDir();
    const e = engine();
    await e.load('big');
    const steps: Array<[number, number]> = [];
    const out = join(dir, 'nested', 'bg.png');
    const result = await e.runStage(
      { kind: 'background', model: 'big', inputs: { image: FIXTURE }, outputs: { image: out } },
      { signal: new AbortController().signal, onProgress: (s, t) => steps.push([s, t]) },
    );
    expect(steps).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(result).toEqual({ outputs: { image: out }, madeBy: 'simulated:big', peakMb: 6000 });
    expect(Buffer.compare(await readFile(out), await readFile(FIXTURE))).toBe(0);
    expect((await e.models()).find((m) => m.id === 'big')?.observedPeakMb).toBe(6000);
  });

  it('writes a flat PNG and a JSON note when no input can stand in', async () => {
    const dir = await tempDir();
    const e = engine();
    const result = await e.runStage(
      { kind: 'compose', model: null, inputs: {}, outputs: { image: join(dir, 'ad.png'), info: join(dir, 'info.json') } },
      { signal: new AbortController().signal },
    );
    expect(result.madeBy).toBe('simulated:cpu');
    const meta = await sharp(join(dir, 'ad.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 64]);
    expect(JSON.parse(await readFile(join(dir, 'info.json'), 'utf8'))).toMatchObject({ simulated: true, stage: 'compose' });
  });

  it('refuses to run on a model that is not loaded', async () => {
    const e = engine();
    await expect(e.runStage({ kind: 'inpaint', model: 'mid', inputs: {}, outputs: {} }, { signal: new AbortController().signal })).rejects.toThrow(/not loaded/);
  });

  it('stops at the next step when aborted and leaves no placeholder behind', async () => {
    const dir = await tempDir();
    const e = engine();
    await e.load('big');
    const controller = new AbortController();
    const steps: number[] = [];
    const out = join(dir, 'bg.png');
    const run = e.runStage(
      { kind: 'background', model: 'big', inputs: {}, outputs: { image: out } },
      {
        signal: controller.signal,
        onProgress: (s) => {
          steps.push(s);
          if (s === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(steps).toEqual([1, 2]);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('hands detect_text and inpaint to a real implementation when given one, still accounting VRAM', async () => {
    const e = engine({
      delegates: {
        inpaint: async (request) => ({ outputs: { image: request.inputs.image as string }, madeBy: 'inpaint:test-fill' }),
      },
    });
    await e.load('mid');
    const result = await e.runStage({ kind: 'inpaint', model: 'mid', inputs: { image: FIXTURE }, outputs: { image: 'unused.png' } }, { signal: new AbortController().signal });
    expect(result.madeBy).toBe('inpaint:test-fill (simulated engine)');
    expect(result.outputs.image).toBe(FIXTURE);
    expect((await e.memory())?.usedMb).toBe(3000);
  });

  it('cpu models take RAM, not VRAM', async () => {
    const e = engine();
    await e.load('ocr-cpu');
    expect((await e.memory())?.usedMb).toBe(0);
    expect((await e.models()).find((m) => m.id === 'ocr-cpu')).toMatchObject({ resident: true, device: 'cpu' });
  });

  it('scales catalog times: 1/1000 turns a 30 s load into 30 ms', async () => {
    const e = createSimulatedEngine({ models: [{ ...MODELS[0]!, loadMs: 30_000 }], timeScale: 1 / 1000 });
    const t0 = performance.now();
    await e.load('big');
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(29);
    expect(ms).toBeLessThan(1000);
  });

  it('simulates busy answers and crashes', async () => {
    const e = engine();
    e.simulateBusy(1);
    await expect(e.runStage({ kind: 'compose', model: null, inputs: {}, outputs: {} }, { signal: new AbortController().signal })).rejects.toMatchObject({ code: 'engine-busy' });
    await e.load('big');
    const run = e.runStage({ kind: 'background', model: 'big', inputs: {}, outputs: {} }, { signal: new AbortController().signal });
    setTimeout(() => e.simulateCrash({ downMs: 30 }), 5);
    await expect(run).rejects.toMatchObject({ code: 'engine' });
    expect((await e.health()).status).toBe('unhealthy');
    expect((await e.memory())?.usedMb).toBe(0);
    expect((await e.models()).every((m) => !m.resident)).toBe(true);
    await new Promise((r) => setTimeout(r, 40));
    expect((await e.health()).status).toBe('healthy');
  });
});
