import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { invokeChannels } from '../../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import { createEmbeddedScheduler } from '../../../../../main/engine/app-schedulers.js';
import { createEmbeddedInpaintEngine } from '../../../../../main/engine/embedded-inpaint-engine.js';
import { eventLog } from '../support/event-log.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** The editor's erase through the real scheduler over the real embedded engine, as the app wires it. */
async function start() {
  const dir = await tempDir();
  const dataDir = join(dir, 'data');
  const inpaint = createEmbeddedInpaintEngine();
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
  return { dataDir, services, h: services.handlers, log };
}

async function imageAndMask(h: Awaited<ReturnType<typeof start>>['h'], size: number) {
  const png = await sharp({ create: { width: size, height: size, channels: 3, background: '#3060a0' } })
    .composite([{ input: Buffer.from(`<svg width="${size}" height="${size}"><rect x="${size / 4}" y="${size / 4}" width="${size / 2}" height="${size / 8}" fill="#fff"/></svg>`) }])
    .png()
    .toBuffer();
  const maskPng = await sharp(Buffer.from(`<svg width="${size}" height="${size}"><rect width="100%" height="100%" fill="#000"/><rect x="${size / 4 - 2}" y="${size / 4 - 2}" width="${size / 2 + 4}" height="${size / 8 + 4}" fill="#fff"/></svg>`))
    .png()
    .toBuffer();
  const image = await h.putAsset({ kind: 'image', bytes: new Uint8Array(png) });
  const mask = await h.putAsset({ kind: 'mask', bytes: new Uint8Array(maskPng) });
  return { image, mask };
}

describe('the editor’s erase as an interactive job of the stage scheduler', () => {
  it('erases through the scheduler, shows in the Jobs panel, and leaves no files behind', async () => {
    const { dataDir, services, h, log } = await start();
    try {
      const { image, mask } = await imageAndMask(h, 128);
      const { jobId } = await h.startInpaint({ image: image.hash, mask: mask.hash, method: 'telea' });
      const done = await log.waitFinished(jobId, 30_000);
      expect(done).toMatchObject({ status: 'done', madeBy: 'inpaint:telea' });
      // The white bar is gone: the result's masked area is the background blue.
      const { data } = await sharp((await services.assetFile(done.result!.hash))!.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [...data.subarray((y * 128 + x) * 3, (y * 128 + x) * 3 + 3)];
      expect(at(64, 36)).toEqual([0x30, 0x60, 0xa0]);

      const jobs = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
      expect(jobs[0]).toMatchObject({ title: 'Erase (telea)', priority: 'interactive', status: 'done', simulated: false });
      expect(jobs[0]!.stages[0]).toMatchObject({ kind: 'inpaint', status: 'done', madeBy: 'inpaint:telea' });
      expect(await readdir(join(dataDir, 'work', 'erase'))).toEqual([]);
    } finally {
      await services.dispose();
    }
  });

  it('cancel ends the erase as cancelled at once, and the scheduler job too', async () => {
    const { services, h, log } = await start();
    try {
      const { image, mask } = await imageAndMask(h, 2048);
      const { jobId } = await h.startInpaint({ image: image.hash, mask: mask.hash, method: 'patchmatch' });
      await log.waitProgress(jobId);
      const asked = Date.now();
      expect(await h.cancelJob({ jobId })).toEqual({ cancelled: true });
      const end = await log.waitFinished(jobId, 5_000);
      expect(end.status).toBe('cancelled');
      expect(Date.now() - asked).toBeLessThan(1_000);
      const deadline = Date.now() + 5_000;
      let listed = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
      while (listed[0]?.status !== 'cancelled' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        listed = invokeChannels.listJobs.response.parse(await h.listJobs(undefined));
      }
      expect(listed[0]?.status).toBe('cancelled');
    } finally {
      await services.dispose();
    }
  });
});
