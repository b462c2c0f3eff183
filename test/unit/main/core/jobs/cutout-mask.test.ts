import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels } from '../../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { ServicesOptions } from '../../../../../main/core/services-types.js';
import { createEmbeddedScheduler } from '../../../../../main/engine/app-schedulers.js';
import { deltaE, labOf, type Rgb } from '../../../../../main/engine/compose/raster/lab.js';
import { createCutoutEngine } from '../../../../../main/engine/cutout/index.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { eventLog } from '../support/event-log.js';
import { useTempDirs } from '../support/temp-dir.js';
import { servicesInTemp } from '../support/test-services.js';
import { fixture } from '../support/test-images.js';
import { bananaTruth, deep } from '../../engine/cutout/banana-truth.js';

const tempDir = useTempDirs();

/**
 * startCutout with the user's product selection (`mask`): the selection replaces segmentation, and
 * the result is still the refined, decontaminated RGBA. Real services, real sharp, the real cut-out
 * worker; the network package is named missing, so nothing here can come from segmentation.
 */
async function inProcess(extra: Partial<ServicesOptions> = {}) {
  return servicesInTemp(tempDir, { cutout: createCutoutEngine({ modelPackage: '@adstudio/no-such-model-package' }), ...extra });
}

type Handlers = Awaited<ReturnType<typeof inProcess>>['h'];

async function putMask(h: Handlers, data: Uint8Array, width: number, height: number) {
  const png = await sharp(Buffer.from(data), { raw: { width, height, channels: 1 } }).png().toBuffer();
  return h.putAsset({ kind: 'mask', bytes: new Uint8Array(png) });
}

/** The banana as a selection with its right half taken away (what an eraser stroke would do). */
async function leftHalfSelection() {
  const t = await bananaTruth();
  const half = Math.floor(t.width / 2);
  const mask = new Uint8Array(t.width * t.height);
  for (let y = 0; y < t.height; y++) for (let x = 0; x < half; x++) if (t.inside[y * t.width + x]) mask[y * t.width + x] = 255;
  return { t, half, mask };
}

/** Shares of the deep banana kept opaque on the left, and made transparent on the right (away from the cut). */
async function halves(path: string) {
  const { t, half } = await leftHalfSelection();
  const { data } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const inside = deep(t.inside, t.width, t.height, 1, 6);
  let left = 0;
  let leftKept = 0;
  let right = 0;
  let rightGone = 0;
  for (let y = 0; y < t.height; y++) {
    for (let x = 0; x < t.width; x++) {
      const i = y * t.width + x;
      if (!inside[i]) continue;
      const a = data[i * 4 + 3]!;
      if (x < half - 8) {
        left++;
        if (a >= 250) leftKept++;
      } else if (x > half + 8) {
        right++;
        if (a === 0) rightGone++;
      }
    }
  }
  return { kept: leftKept / left, removed: rightGone / right, right };
}

describe('startCutout with the user’s product selection', () => {
  it('follows the selection: the half the user took away is transparent, the rest opaque, edges without the white halo', async () => {
    const { services, h, log } = await inProcess();
    try {
      const photo = await h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('product-banana.png'))) });
      const { t, half, mask } = await leftHalfSelection();
      const sel = await putMask(h, mask, t.width, t.height);
      const { jobId } = invokeChannels.startCutout.response.parse(await h.startCutout({ image: photo.hash, mask: sel.hash }));
      const done = eventChannels.jobFinished.parse(await log.waitFinished(jobId, 60_000));
      expect(done).toMatchObject({ status: 'done', madeBy: 'cutout:mask', result: { kind: 'image', width: 800, height: 705 } });
      const file = (await services.assetFile(done.result!.hash))!;
      const { kept, removed, right } = await halves(file.path);
      expect(right).toBeGreaterThan(1000); // the banana really reaches into the right half
      expect(kept).toBeGreaterThan(0.99);
      expect(removed).toBeGreaterThan(0.99);

      // Halo: on the soft rim the photo's own pixels lean to the old white backdrop; the cut-out's lean to the banana.
      const { data } = await sharp(file.path).raw().toBuffer({ resolveWithObject: true });
      const inner = deep(t.inside, t.width, t.height, 1, 8);
      const mean = [0, 0, 0];
      let m = 0;
      for (let i = 0; i < inner.length; i++) {
        if (!inner[i]) continue;
        for (let c = 0; c < 3; c++) mean[c]! += t.rgb[i * 3 + c]!;
        m++;
      }
      const product = labOf(mean.map((v) => v / m) as Rgb);
      const white = labOf([255, 255, 255]);
      const rim = { n: 0, toProduct: 0, toWhite: 0, rawToProduct: 0, rawToWhite: 0 };
      // The banana's own outline, away from the straight cut (whose pixels are all banana).
      for (let i = 0; i < t.width * t.height; i++) {
        const a = data[i * 4 + 3]!;
        if (a < 40 || a > 215 || i % t.width >= half - 8) continue;
        const mine = labOf([data[i * 4]!, data[i * 4 + 1]!, data[i * 4 + 2]!]);
        const raw = labOf([t.rgb[i * 3]!, t.rgb[i * 3 + 1]!, t.rgb[i * 3 + 2]!]);
        rim.n++;
        rim.toProduct += deltaE(mine, product);
        rim.toWhite += deltaE(mine, white);
        rim.rawToProduct += deltaE(raw, product);
        rim.rawToWhite += deltaE(raw, white);
      }
      expect(rim.n).toBeGreaterThan(100);
      expect(rim.rawToWhite).toBeLessThan(rim.rawToProduct);
      expect(rim.toProduct).toBeLessThan(rim.toWhite / 2);
    } finally {
      await services.dispose();
    }
  }, 90_000);

  it('refuses a selection of the wrong size or one that is an image, and fails an empty one clearly', async () => {
    const { services, h, log } = await inProcess();
    try {
      const photo = await h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('product-banana.png'))) });
      const small = await putMask(h, new Uint8Array(400 * 300).fill(255), 400, 300);
      await expect(h.startCutout({ image: photo.hash, mask: small.hash })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/400×300 but the photo is 800×705/) });
      await expect(h.startCutout({ image: photo.hash, mask: photo.hash })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/must be a mask/) });
      await expect(h.startCutout({ image: photo.hash, mask: 'b'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });

      const empty = await putMask(h, new Uint8Array(800 * 705), 800, 705);
      const { jobId } = await h.startCutout({ image: photo.hash, mask: empty.hash });
      const end = await log.waitFinished(jobId, 30_000);
      expect(end).toMatchObject({ status: 'failed', error: { code: 'bad-image', message: expect.stringMatching(/^No clear product selected/) } });
      expect(end.result).toBeUndefined();
    } finally {
      await services.dispose();
    }
  }, 60_000);

  it('takes the selection through the scheduler’s cutout stage too (no network run) and leaves no files behind', async () => {
    const dir = await tempDir();
    const dataDir = join(dir, 'data');
    const inpaint = meanFillTestEngine();
    const scheduler = await createEmbeddedScheduler({ dataDir, version: 'test', inpaint });
    const services = await createServices({ mode: 'browser', version: '0.1.0-test', osLocale: 'ko-KR', paths: resolveServicePaths(dataDir, join(dir, 'projects')), inpaintEngine: inpaint, scheduler });
    const log = eventLog();
    services.onEvent(log.sink);
    try {
      const h = services.handlers;
      const photo = await h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('product-banana.png'))) });
      const { t, mask } = await leftHalfSelection();
      const sel = await putMask(h, mask, t.width, t.height);
      const { jobId } = await h.startCutout({ image: photo.hash, mask: sel.hash });
      const done = await log.waitFinished(jobId, 60_000);
      expect(done).toMatchObject({ status: 'done', madeBy: 'cutout:mask' });
      const { kept, removed } = await halves((await services.assetFile(done.result!.hash))!.path);
      expect(kept).toBeGreaterThan(0.99);
      expect(removed).toBeGreaterThan(0.99);
      expect(await readdir(join(dataDir, 'work', 'cutout'))).toEqual([]);
    } finally {
      await services.dispose();
    }
  }, 90_000);
});
