import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_PRESETS } from '../../../../../preload/contract/ad-layout.js';
import { eventChannels, invokeChannels } from '../../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { Services, ServicesOptions } from '../../../../../main/core/services-types.js';
import { createEmbeddedScheduler, createSimulatedScheduler, schedulerOver } from '../../../../../main/engine/app-schedulers.js';
import { createSimulatedEngine } from '../../../../../main/engine/simulated/simulated-engine.js';
import { createBackgroundEngine } from '../../../../../main/engine/background/index.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { eventLog } from '../support/event-log.js';
import { useTempDirs } from '../support/temp-dir.js';
import { servicesInTemp } from '../support/test-services.js';

const tempDir = useTempDirs();

/** startBackgrounds through createServices: the real background engine in its real workers. */
async function inProcess(extra: Partial<ServicesOptions> = {}) {
  return servicesInTemp(tempDir, { backgrounds: createBackgroundEngine(), ...extra });
}

/** A red (or other colour) product on transparency: the cut-out a palette is taken from. */
async function redCutout(services: Services, fill = '#c81e1e') {
  const svg = `<svg width="200" height="200"><circle cx="100" cy="100" r="70" fill="${fill}"/></svg>`;
  return services.handlers.putAsset({ kind: 'image', bytes: new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer()) });
}

async function meanRgb(services: Services, hash: string): Promise<[number, number, number]> {
  const { channels } = await sharp((await services.assetFile(hash))!.path).stats();
  return [channels[0]!.mean, channels[1]!.mean, channels[2]!.mean];
}

describe('startBackgrounds through createServices (in process)', () => {
  it('draws one candidate per preset (all eight by default), each an asset of the asked size, and says who made it', async () => {
    const { services, h, log } = await inProcess();
    try {
      const { jobId } = invokeChannels.startBackgrounds.response.parse(await h.startBackgrounds({ width: 240, height: 300, seed: 7 }));
      const done = eventChannels.jobFinished.parse(await log.waitFinished(jobId, 60_000));
      expect(done.status).toBe('done');
      expect(done.candidates?.map((c) => c.preset)).toEqual([...BACKGROUND_PRESETS]);
      for (const c of done.candidates!) {
        expect(c).toMatchObject({ madeBy: `embedded · ${c.preset} · seed 7`, seed: 7, asset: { kind: 'image', width: 240, height: 300 } });
        const meta = await sharp((await services.assetFile(c.asset.hash))!.path).metadata();
        expect([meta.width, meta.height]).toEqual([240, 300]);
      }
      // Eight different pictures, not one copied.
      expect(new Set(done.candidates!.map((c) => c.asset.hash)).size).toBe(8);
      // Progress per candidate: "n of 8" messages, monotonic, ending at 1.
      const progress = log.progress(jobId).map((e) => e.payload);
      expect(progress.some((p) => /^\d of 8 backgrounds$/.test(p.message ?? ''))).toBe(true);
      expect(progress.map((p) => p.progress)).toEqual(progress.map((p) => p.progress).sort((a, b) => a - b));
      expect(progress.at(-1)!.progress).toBe(1);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it('is reproducible by seed, and takes its colours from the product (paletteFrom)', async () => {
    const { services, h, log } = await inProcess();
    try {
      const run = async (request: Parameters<typeof h.startBackgrounds>[0]) => (await log.waitFinished((await h.startBackgrounds(request)).jobId, 60_000)).candidates!;
      const a = await run({ width: 200, height: 200, presets: ['sweep', 'linen'], seed: 3 });
      const b = await run({ width: 200, height: 200, presets: ['sweep', 'linen'], seed: 3 });
      const other = await run({ width: 200, height: 200, presets: ['sweep', 'linen'], seed: 4 });
      expect(b.map((c) => c.asset.hash)).toEqual(a.map((c) => c.asset.hash));
      expect(other.map((c) => c.asset.hash)).not.toEqual(a.map((c) => c.asset.hash));

      const red = await redCutout(services);
      const [neutral] = await run({ width: 200, height: 200, presets: ['sweep'], seed: 3 });
      const [tinted] = await run({ width: 200, height: 200, presets: ['sweep'], seed: 3, paletteFrom: red.hash });
      const green = await redCutout(services, '#1e9e3c');
      const [forGreen] = await run({ width: 200, height: 200, presets: ['sweep'], seed: 3, paletteFrom: green.hash });
      expect(tinted!.asset.hash).not.toBe(neutral!.asset.hash);
      // The same preset and seed for a red and a green product: visibly different colours.
      const [a1, a2, a3] = await meanRgb(services, tinted!.asset.hash);
      const [b1, b2, b3] = await meanRgb(services, forGreen!.asset.hash);
      expect(Math.abs(a1 - b1) + Math.abs(a2 - b2) + Math.abs(a3 - b3)).toBeGreaterThan(15);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it('refuses a prompt on the embedded engine: it needs a GPU engine, presets work offline', async () => {
    const { services, h } = await inProcess();
    try {
      const e = await h.startBackgrounds({ width: 200, height: 200, prompt: '대리석 위의 화장품' }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/prompt.*GPU engine.*presets work offline/s) });
      await expect(h.startBackgrounds({ width: 200, height: 200, paletteFrom: 'b'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });
      const bare = await inProcess({ backgrounds: undefined });
      await expect(bare.h.startBackgrounds({ width: 200, height: 200 })).rejects.toMatchObject({ code: 'unsupported' });
      await bare.services.dispose();
    } finally {
      await services.dispose();
    }
  });

  it('cancel stops the candidates at once; no candidates are reported', async () => {
    const { services, h, log } = await inProcess();
    try {
      const { jobId } = await h.startBackgrounds({ width: 4000, height: 4000, seed: 1 });
      await log.waitProgress(jobId);
      const asked = Date.now();
      expect(await h.cancelJob({ jobId })).toEqual({ cancelled: true });
      const end = await log.waitFinished(jobId, 5_000);
      expect(end.status).toBe('cancelled');
      expect(end.candidates).toBeUndefined();
      expect(Date.now() - asked).toBeLessThan(1_000);
    } finally {
      await services.dispose();
    }
  }, 30_000);
});

describe('startBackgrounds as an interactive scheduler job', () => {
  async function scheduled(simulated: boolean) {
    const dir = await tempDir();
    const dataDir = join(dir, 'data');
    const inpaint = meanFillTestEngine();
    const options = { dataDir, version: 'test', inpaint };
    const scheduler = simulated ? await createSimulatedScheduler({ ...options, vramGb: 24, timeScale: 0.001 }) : await createEmbeddedScheduler(options);
    const services = await createServices({ mode: 'browser', version: '0.1.0-test', osLocale: 'ko-KR', paths: resolveServicePaths(dataDir, join(dir, 'projects')), inpaintEngine: inpaint, scheduler });
    const log = eventLog();
    services.onEvent(log.sink);
    return { dataDir, services, h: services.handlers, log };
  }

  it('draws each candidate as a stage of one job on the embedded engine, with the product’s palette', async () => {
    const { dataDir, services, h, log } = await scheduled(false);
    try {
      const red = await redCutout(services);
      const { jobId } = await h.startBackgrounds({ width: 160, height: 200, presets: ['sweep', 'wood', 'bokeh'], seed: 11, paletteFrom: red.hash });
      const done = await log.waitFinished(jobId, 60_000);
      expect(done.status).toBe('done');
      expect(done.candidates!.map((c) => [c.preset, c.madeBy, c.asset.width, c.asset.height])).toEqual([
        ['sweep', 'embedded · sweep · seed 11', 160, 200],
        ['wood', 'embedded · wood · seed 11', 160, 200],
        ['bokeh', 'embedded · bokeh · seed 11', 160, 200],
      ]);
      const jobs = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
      expect(jobs[0]).toMatchObject({ title: 'Backgrounds (3)', priority: 'interactive', status: 'done' });
      expect(jobs[0]!.stages.map((s) => s.kind)).toEqual(['background', 'background', 'background']);
      expect(await readdir(join(dataDir, 'work', 'backgrounds'))).toEqual([]);
      // The same pixels as the in-process engine draws for the same request.
      const local = await inProcess();
      const same = await local.log.waitFinished((await local.h.startBackgrounds({ width: 160, height: 200, presets: ['sweep'], seed: 11, paletteFrom: (await local.h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile((await services.assetFile(red.hash))!.path)) })).hash })).jobId, 30_000);
      await local.services.dispose();
      expect(same.candidates![0]!.asset.hash).toBe(done.candidates![0]!.asset.hash);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it('on the simulated-VRAM engine the prompt is passed on and the backdrop is still real pixels at the asked size', async () => {
    const { services, h, log } = await scheduled(true);
    try {
      const { jobId } = await h.startBackgrounds({ width: 160, height: 200, presets: ['sweep'], prompt: 'a marble table' });
      const end = await log.waitFinished(jobId, 60_000);
      expect(end.status).toBe('done');
      const [c] = end.candidates!;
      expect([c!.asset.width, c!.asset.height]).toEqual([160, 200]);
      expect(c!.madeBy).toMatch(/simulated/);
      // Drawn, not a flat placeholder: a backdrop has light falloff.
      const { channels } = await sharp((await services.assetFile(c!.asset.hash))!.path).stats();
      expect(channels[0]!.max - channels[0]!.min).toBeGreaterThan(10);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  /** Services over a bare simulated engine (no real stages): it writes 64×64 placeholders for a background stage. */
  async function overBareSimulatedEngine() {
    const dir = await tempDir();
    const dataDir = join(dir, 'data');
    const engine = createSimulatedEngine({ timeScale: 0.001 });
    const scheduler = await schedulerOver(engine, null, join(dataDir, 'jobs'), join(dataDir, 'work'), () => engine.close());
    const services = await createServices({ mode: 'browser', version: '0.1.0-test', osLocale: 'ko-KR', paths: resolveServicePaths(dataDir, join(dir, 'projects')), inpaintEngine: meanFillTestEngine(), scheduler });
    const log = eventLog();
    services.onEvent(log.sink);
    return { services, log };
  }

  it('a background generated from a prompt at the engine\'s own size is fitted to the ad (cover), and says so', async () => {
    // The bare simulated engine stands in for a diffusion engine that draws 64×64 whatever is asked.
    const { services, log } = await overBareSimulatedEngine();
    try {
      const { jobId } = await services.handlers.startBackgrounds({ width: 160, height: 200, presets: ['sweep'], prompt: 'a wooden table by a window' });
      const end = await log.waitFinished(jobId, 60_000);
      expect(end.status).toBe('done');
      const [c] = end.candidates!;
      expect([c!.asset.width, c!.asset.height]).toEqual([160, 200]);
      expect(c!.madeBy).toMatch(/· fitted from 64×64$/);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it('a candidate an engine draws at the wrong size fails clearly', async () => {
    // A bare simulated engine (no real stages at all) writes 64×64 placeholders for a background stage.
    const { services, log } = await overBareSimulatedEngine();
    try {
      const { jobId } = await services.handlers.startBackgrounds({ width: 160, height: 200, presets: ['sweep'] });
      const end = await log.waitFinished(jobId, 60_000);
      expect(end.status).toBe('failed');
      expect(end.error).toMatchObject({ code: 'engine', message: expect.stringMatching(/drew the sweep background at 64×64, not 160×200/) });
    } finally {
      await services.dispose();
    }
  }, 90_000);
});
