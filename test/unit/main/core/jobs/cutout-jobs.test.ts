import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels } from '../../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { ServicesOptions } from '../../../../../main/core/services-types.js';
import { createEmbeddedScheduler, createSimulatedScheduler } from '../../../../../main/engine/app-schedulers.js';
import { createCutoutEngine } from '../../../../../main/engine/cutout/index.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { eventLog } from '../support/event-log.js';
import { useTempDirs } from '../support/temp-dir.js';
import { servicesInTemp } from '../support/test-services.js';
import { fixture } from '../support/test-images.js';
import { bananaTruth, deep } from '../../engine/cutout/banana-truth.js';

const tempDir = useTempDirs();

/**
 * startCutout through createServices, in process: the real cut-out engine in its real worker, with
 * the network's package named missing so the classical matte runs (seconds, not the network's ~10 s;
 * the network path runs in the scheduler test below and in the engine's own tests).
 */
async function inProcess(extra: Partial<ServicesOptions> = {}) {
  return servicesInTemp(tempDir, { cutout: createCutoutEngine({ modelPackage: '@adstudio/no-such-model-package' }), ...extra });
}

async function putFile(h: Awaited<ReturnType<typeof inProcess>>['h'], path: string) {
  return h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(path)) });
}

async function alphaOf(path: string) {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, a: (x: number, y: number) => data[(y * info.width + x) * 4 + 3]! };
}

/** Shares of the banana's deep inside kept opaque and of the deep backdrop made transparent (colour-rule truth). */
async function bananaScores(path: string): Promise<{ kept: number; cleared: number }> {
  const t = await bananaTruth();
  const cut = await alphaOf(path);
  const inside = deep(t.inside, t.width, t.height, 1, 6);
  const outside = deep(t.inside, t.width, t.height, 0, 6);
  let kept = 0;
  let nIn = 0;
  let cleared = 0;
  let nOut = 0;
  for (let i = 0; i < t.width * t.height; i++) {
    const a = cut.data[i * 4 + 3]!;
    if (inside[i]) {
      nIn++;
      if (a >= 250) kept++;
    }
    if (outside[i]) {
      nOut++;
      if (a <= 5) cleared++;
    }
  }
  return { kept: kept / nIn, cleared: cleared / nOut };
}

async function flatPhoto(width: number, height: number, noise = 0): Promise<Uint8Array<ArrayBuffer>> {
  const data = Buffer.alloc(width * height * 3);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = 236 + Math.round(((s >>> 16) / 65535 - 0.5) * 2 * noise);
  }
  return new Uint8Array(await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
}

describe('startCutout through createServices (in process)', () => {
  it('cuts the banana out: an RGBA asset of the photo’s size, transparent backdrop, opaque fruit, and says how', async () => {
    const { services, h, log } = await inProcess();
    try {
      const photo = await putFile(h, fixture('product-banana.png'));
      const { jobId } = invokeChannels.startCutout.response.parse(await h.startCutout({ image: photo.hash }));
      const done = eventChannels.jobFinished.parse(await log.waitFinished(jobId, 60_000));
      expect(done).toMatchObject({ status: 'done', madeBy: 'cutout:classical', result: { kind: 'image', mime: 'image/png', width: 800, height: 705 } });
      const file = (await services.assetFile(done.result!.hash))!;
      expect((await sharp(file.path).metadata()).channels).toBe(4);
      const cut = await alphaOf(file.path);
      for (const [x, y] of [[5, 5], [794, 5], [5, 699], [794, 699]] as const) expect(cut.a(x, y)).toBe(0);
      const { kept, cleared } = await bananaScores(file.path);
      expect(kept).toBeGreaterThan(0.97);
      expect(cleared).toBeGreaterThan(0.99);
      // Progress went up to the end.
      const progress = log.progress(jobId).map((e) => e.payload.progress);
      expect(progress.at(-1)).toBe(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it.each([
    ['a flat, empty photo', 0],
    ['a flat photo with sensor noise', 3],
  ])('refuses %s: no clear foreground, and says what photo to use', async (_label, noise) => {
    const { services, h, log } = await inProcess();
    try {
      const blank = await h.putAsset({ kind: 'image', bytes: await flatPhoto(640, 480, noise) });
      const { jobId } = await h.startCutout({ image: blank.hash });
      const end = await log.waitFinished(jobId, 30_000);
      expect(end.status).toBe('failed');
      expect(end.error?.code).toBe('bad-image');
      expect(end.error?.message).toMatch(/^No clear product in this photo/);
      expect(end.error?.message).toMatch(/product stands out/);
      expect(end.result).toBeUndefined();
    } finally {
      await services.dispose();
    }
  }, 60_000);

  it('refuses a mask, an unknown asset and a build without any cut-out engine before starting a job', async () => {
    const { services, h } = await inProcess();
    const bare = await inProcess({ cutout: undefined });
    try {
      const mask = await h.putAsset({ kind: 'mask', bytes: new Uint8Array(await sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } }).png().toBuffer()) });
      await expect(h.startCutout({ image: mask.hash })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/mask/) });
      await expect(h.startCutout({ image: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });
      const photo = await putFile(bare.h, fixture('product-banana.png'));
      await expect(bare.h.startCutout({ image: photo.hash })).rejects.toMatchObject({ code: 'unsupported' });
    } finally {
      await Promise.all([services.dispose(), bare.services.dispose()]);
    }
  });

  it('cancel ends the job as cancelled at once; a second cancel answers false', async () => {
    const { services, h, log } = await inProcess();
    try {
      // A large busy photo keeps the classical matte working for a while.
      const big = await sharp(fixture('product-banana.png')).resize(3200).png().toBuffer();
      const photo = await h.putAsset({ kind: 'image', bytes: new Uint8Array(big) });
      const { jobId } = await h.startCutout({ image: photo.hash });
      await log.waitProgress(jobId);
      const asked = Date.now();
      expect(await h.cancelJob({ jobId })).toEqual({ cancelled: true });
      const end = await log.waitFinished(jobId, 5_000);
      expect(end.status).toBe('cancelled');
      expect(end.result).toBeUndefined();
      expect(Date.now() - asked).toBeLessThan(1_000);
      expect(await h.cancelJob({ jobId })).toEqual({ cancelled: false });
    } finally {
      await services.dispose();
    }
  }, 60_000);
});

describe('startCutout as an interactive scheduler job (embedded engine, IS-Net)', () => {
  async function scheduled() {
    const dir = await tempDir();
    const dataDir = join(dir, 'data');
    const inpaint = meanFillTestEngine();
    const scheduler = await createEmbeddedScheduler({ dataDir, version: 'test', inpaint });
    const services = await createServices({
      mode: 'browser',
      version: '0.1.0-test',
      osLocale: 'ko-KR',
      paths: resolveServicePaths(dataDir, join(dir, 'projects')),
      inpaintEngine: inpaint,
      scheduler,
    });
    const log = eventLog();
    services.onEvent(log.sink);
    return { dataDir, services, log };
  }

  it('on the simulated-VRAM scheduler the cut-out runs for real too (a flat photo gets the real check, not a placeholder)', async () => {
    const dir = await tempDir();
    const dataDir = join(dir, 'data');
    const inpaint = meanFillTestEngine();
    const scheduler = await createSimulatedScheduler({ dataDir, version: 'test', inpaint, vramGb: 24, timeScale: 0.001 });
    const services = await createServices({ mode: 'browser', version: '0.1.0-test', osLocale: 'ko-KR', paths: resolveServicePaths(dataDir, join(dir, 'projects')), inpaintEngine: inpaint, scheduler });
    const log = eventLog();
    services.onEvent(log.sink);
    try {
      const blank = await services.handlers.putAsset({ kind: 'image', bytes: await flatPhoto(320, 240, 2) });
      const end = await log.waitFinished((await services.handlers.startCutout({ image: blank.hash })).jobId, 30_000);
      expect(end).toMatchObject({ status: 'failed', error: { code: 'bad-image', message: expect.stringMatching(/^No clear product in this photo/) } });
    } finally {
      await services.dispose();
    }
  });

  it('refuses a flat photo there too, with the same message (before the network runs)', async () => {
    const { services, log } = await scheduled();
    try {
      const blank = await services.handlers.putAsset({ kind: 'image', bytes: await flatPhoto(320, 240, 2) });
      const { jobId } = await services.handlers.startCutout({ image: blank.hash });
      const end = await log.waitFinished(jobId, 30_000);
      expect(end).toMatchObject({ status: 'failed', error: { code: 'bad-image', message: expect.stringMatching(/^No clear product in this photo.*product stands out/s) } });
    } finally {
      await services.dispose();
    }
  }, 60_000);

  it('cuts out through the scheduler with the network, shows in the Jobs panel, and leaves no files behind', async () => {
    const { dataDir, services, log } = await scheduled();
    try {
      const photo = await putFile(services.handlers, fixture('product-banana.png'));
      const { jobId } = await services.handlers.startCutout({ image: photo.hash });
      const done = await log.waitFinished(jobId, 120_000);
      expect(done).toMatchObject({ status: 'done', madeBy: 'cutout:isnet-medium', result: { kind: 'image', width: 800, height: 705 } });
      const { kept, cleared } = await bananaScores((await services.assetFile(done.result!.hash))!.path);
      expect(kept).toBeGreaterThan(0.97);
      expect(cleared).toBeGreaterThan(0.99);
      const jobs = invokeChannels.listJobs.response.parse(await services.handlers.listJobs(undefined));
      expect(jobs[0]).toMatchObject({ title: 'Cut-out', priority: 'interactive', status: 'done' });
      expect(jobs[0]!.stages[0]).toMatchObject({ kind: 'cutout', status: 'done', madeBy: 'cutout:isnet-medium' });
      expect(await readdir(join(dataDir, 'work', 'cutout'))).toEqual([]);
    } finally {
      await services.dispose();
    }
  }, 180_000);
});
