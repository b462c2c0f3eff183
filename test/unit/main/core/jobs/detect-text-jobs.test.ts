import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, eventChannels, invokeChannels } from '../../../../../preload/contract/index.js';
import { decodeMask } from '../../../../../main/core/images/image-codec.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { Services } from '../../../../../main/core/services-types.js';
import { createTextDetector } from '../../../../../main/engine/detect-text/index.js';
import { eventLog } from '../support/event-log.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { fixture } from '../support/test-images.js';

type Box = readonly [x0: number, y0: number, x1: number, y1: number];
/** Text lines of the apples ad read off by eye (same as the detector's own test): top copy and bottom bar. */
const APPLES_LINES: readonly Box[] = [
  [420, 72, 606, 126],
  [360, 155, 662, 232],
  [450, 237, 575, 262],
  [122, 954, 214, 976],
  [122, 981, 360, 1000],
  [679, 954, 902, 976],
  [750, 983, 902, 1001],
];

function coverage(mask: RawImage, [x0, y0, x1, y1]: Box): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (mask.data[y * mask.width + x]) n++;
  return n / ((x1 - x0) * (y1 - y0));
}

async function servicesIn(dir: string, withDetector: boolean): Promise<Services> {
  return createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: meanFillTestEngine(),
    // The real PP-OCRv4 detector in its real worker; services.dispose() closes it.
    ...(withDetector ? { textDetector: createTextDetector() } : {}),
  });
}

describe('startDetectText through createServices (real detector)', () => {
  let dir: string;
  let services: Services;
  const log = eventLog();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adstudio-detect-'));
    services = await servicesIn(dir, true);
    services.onEvent(log.sink);
  });
  afterAll(async () => {
    await services?.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const putApples = async () =>
    services.handlers.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('ad-apples-korean-text.png'))), name: 'ad-apples-korean-text.png' });

  it('reports progress, then a mask asset of the image size over the text lines, and the regions', async () => {
    const image = await putApples();
    const { jobId } = invokeChannels.startDetectText.response.parse(await services.handlers.startDetectText({ image: image.hash }));
    const done = await log.waitFinished(jobId, 60_000);
    expect(eventChannels.jobFinished.parse(done)).toEqual(done);
    expect(done.status, JSON.stringify(done.error)).toBe('done');

    const steps = log.progress(jobId).map((e) => e.payload.progress);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(1);

    const result = done.result!;
    expect(result).toMatchObject({ kind: 'mask', width: image.width, height: image.height, mime: 'image/png' });
    expect(await services.handlers.getAssetInfo({ hash: result.hash })).toEqual(result);
    const file = await services.assetFile(result.hash);
    const mask = await decodeMask(await readFile(file!.path), { width: image.width, height: image.height });
    for (const line of APPLES_LINES) expect(coverage(mask, line), `mask over ${line.join(',')}`).toBeGreaterThan(0.5);
    // Most of the photo (the apples) stays unmasked.
    expect(mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length).toBeLessThan(0.15);

    const regions = done.regions!;
    expect(regions.length).toBeGreaterThanOrEqual(APPLES_LINES.length - 1);
    expect(regions.map((r) => r.id)).toEqual(regions.map((_, i) => i + 1));
    for (const r of regions) {
      expect(r.text).toBeNull();
      expect(r.box.x + r.box.w).toBeLessThanOrEqual(image.width);
      expect(r.box.y + r.box.h).toBeLessThanOrEqual(image.height);
      expect(r.lineHeight).toBeGreaterThan(5);
    }
    // The headline "2만 5천원" is found as a region of its own.
    expect(regions.some((r) => r.box.x < 380 && r.box.x + r.box.w > 640 && r.box.y < 175 && r.box.y + r.box.h > 215)).toBe(true);
  }, 90_000);

  it('cancels a detection while the network runs: one prompt jobFinished, cancelled, no result', async () => {
    const image = await putApples();
    const { jobId } = await services.handlers.startDetectText({ image: image.hash });
    // 'Preparing' is sent first; the network then runs for seconds before the next progress.
    while (log.progress(jobId).length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 400));
    expect(log.finished(jobId)).toEqual([]);
    const cancelledAt = performance.now();
    expect(await services.handlers.cancelJob({ jobId })).toEqual({ cancelled: true });
    const end = await log.waitFinished(jobId, 10_000);
    // Usually tens of ms; on a loaded machine at most the detector's 2 s cancel grace (worker terminated).
    expect(performance.now() - cancelledAt).toBeLessThan(3000);
    expect(end).toEqual({ jobId, status: 'cancelled' });
    expect(await services.handlers.cancelJob({ jobId })).toEqual({ cancelled: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(log.finished(jobId)).toHaveLength(1);
  }, 60_000);

  it('an unknown image fails the request with a clear error and starts no job', async () => {
    const before = log.events.length;
    const err = await services.handlers.startDetectText({ image: 'ab'.repeat(32) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'not-found', message: expect.stringContaining('is not in the asset store') });
    expect(log.events.length).toBe(before);
  });
});

describe('startDetectText without a detector', () => {
  it("answers 'unsupported' with a message saying detection is not available", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adstudio-detect-'));
    const services = await servicesIn(dir, false);
    try {
      const err = await services.handlers.startDetectText({ image: 'ab'.repeat(32) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'unsupported', message: expect.stringContaining('Text detection is not available') });
    } finally {
      await services.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
