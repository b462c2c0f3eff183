import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { runScheduledErase } from '../../../../../main/core/jobs/scheduled-erase.js';
import { ModelStore } from '../../../../../main/core/models/index.js';
import { createMemoryJobStore, createScheduler, type SchedulerRuntime } from '../../../../../main/core/scheduler/index.js';
import type { SchedulerEvent } from '../../../../../main/core/scheduler/scheduler-types.js';
import { createEmbeddedInpaintEngine } from '../../../../../main/engine/embedded-inpaint-engine.js';
import { createEmbeddedStageEngine } from '../../../../../main/engine/embedded-stage-engine.js';
import type { StageEngine } from '../../../../../main/engine/stage-engine.js';
import { eraseMethod } from '../../../../../main/mcp/tools/text-tools.js';
import { FILL_RGB, tinyLamaModel, tinyLamaSpec } from './tiny-lama-model.js';

/**
 * LaMa as the stage scheduler sees it on the embedded engine: listed once installed with the
 * registry's footprint, loaded (ONNX session opened) and unloaded explicitly, and budgeted when the
 * editor's erase asks for it — with the tiny stand-in model (LaMa's exact contract).
 */
const MODEL = tinyLamaModel();
const RAM_MB = 1400; // the registry's declared RAM footprint (LaMa on the CPU)
const W = 96;
const H = 64;
let dir: string;
let installedStore: ModelStore;

function storeIn(name: string): ModelStore {
  return new ModelStore({ hubDir: join(dir, name), hubUrl: 'http://127.0.0.1:1', registry: [tinyLamaSpec(MODEL)] });
}

async function engineWith(store: ModelStore): Promise<{ engine: StageEngine; scheduler: SchedulerRuntime; close(): Promise<void> }> {
  const inpaint = createEmbeddedInpaintEngine({ lama: { store, threads: 1, device: 'cpu' } });
  const engine = createEmbeddedStageEngine({ version: 'test', inpaint });
  const scheduler = await createScheduler({ engine, store: createMemoryJobStore() });
  return {
    engine,
    scheduler,
    async close() {
      await scheduler.close();
      await engine.close();
      await inpaint.close();
    },
  };
}

async function assetsWithImage(name: string): Promise<{ assets: AssetStore; image: string; mask: string; workspace: string }> {
  const assets = new AssetStore(join(dir, name, 'assets'));
  const rgb = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) rgb.set([(i * 7) % 256, (i * 3) % 256, 90], i * 3);
  const mask = Buffer.alloc(W * H);
  for (let y = 20; y < 40; y++) mask.fill(255, y * W + 30, y * W + 70);
  const image = await assets.put(new Uint8Array(await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()), 'image');
  const m = await assets.put(new Uint8Array(await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toBuffer()), 'mask');
  return { assets, image: image.hash, mask: m.hash, workspace: join(dir, name, 'work') };
}

const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-lama-scheduler-'));
  installedStore = storeIn('hub-installed');
  const file = join(dir, 'lama_fp32.onnx');
  writeFileSync(file, MODEL);
  await installedStore.importFile('lama', file);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LaMa on the embedded stage engine, as the scheduler sees it', () => {
  it('is listed once installed, with the registry footprint, and loads/unloads its ONNX session explicitly', async () => {
    const { engine, close } = await engineWith(installedStore);
    try {
      const lama = () => engine.models().then((ms) => ms.find((m) => m.id === 'lama'));
      expect(await lama()).toMatchObject({ id: 'lama', stage: 'inpaint', device: 'cpu', footprintMb: RAM_MB, resident: false });
      await engine.load('lama');
      expect((await lama())?.resident).toBe(true);
      await engine.unload('lama');
      expect((await lama())?.resident).toBe(false);
      // Loading again after an unload opens a fresh session.
      await engine.load('lama');
      expect((await lama())?.resident).toBe(true);
    } finally {
      await close();
    }
  });

  it("the editor's LaMa erase names the model: the scheduler loads it and shows it resident with its footprint", async () => {
    const { scheduler, close } = await engineWith(installedStore);
    const events: SchedulerEvent[] = [];
    const unsubscribe = scheduler.subscribe((e) => events.push(e));
    try {
      const { assets, image, mask, workspace } = await assetsWithImage('erase');
      const outcome = await runScheduledErase({ scheduler, workspace, engine: 'embedded' }, assets, { image, mask, method: 'lama' }, ctx());
      expect(outcome.madeBy).toBe('inpaint:lama');
      expect(events.filter((e) => e.type === 'model' && e.model === 'lama').map((e) => e.type === 'model' && `${e.action}:${e.phase}`)).toEqual(['load:start', 'load:done']);
      expect(scheduler.memory().resident).toContainEqual(expect.objectContaining({ id: 'lama', device: 'cpu', footprintMb: RAM_MB }));
      const job = scheduler.list()[0]!;
      expect(job.spec.stages[0]).toMatchObject({ kind: 'inpaint', model: 'lama', params: { method: 'lama' } });
      // The masked pixels came from the network (the tiny model fills holes with one known colour).
      const { data } = await sharp((await assets.file(outcome.result!.hash))!.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([...data.subarray((30 * W + 50) * 3, (30 * W + 50) * 3 + 3)]).toEqual([...FILL_RGB]);
    } finally {
      unsubscribe();
      await close();
    }
  });

  it('an MCP erase_text with method "lama" budgets the model and still runs LaMa', async () => {
    const { engine, close } = await engineWith(installedStore);
    try {
      expect(await eraseMethod({ engine }, 'lama')).toEqual({ model: 'lama', params: { method: 'lama' } });
      expect(await eraseMethod({ engine }, 'telea')).toEqual({ model: null, params: { method: 'telea' } });
    } finally {
      await close();
    }
  });

  it('not installed: not listed, a load names the download command, and the erase says what to do', async () => {
    const { engine, scheduler, close } = await engineWith(storeIn('hub-empty'));
    try {
      expect((await engine.models()).some((m) => m.id === 'lama')).toBe(false);
      const err = await engine.load('lama').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('not-found');
      expect((err as AppError).message).toMatch(/adstudio models download lama/);
      const { assets, image, mask, workspace } = await assetsWithImage('missing');
      const erase = await runScheduledErase({ scheduler, workspace, engine: 'embedded' }, assets, { image, mask, method: 'lama' }, ctx()).catch((e: unknown) => e);
      expect(erase).toBeInstanceOf(AppError);
      expect((erase as AppError).message).toBe('LaMa is not installed for the embedded engine: run "adstudio models download lama" (or Download in the Erase method panel), then erase again');
    } finally {
      await close();
    }
  });
});
