import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { InpaintJobs } from '../../../../../main/core/jobs/inpaint-jobs.js';
import { eventLog } from '../support/event-log.js';
import { meanFillTestEngine, type TestEngineOptions } from '../support/mean-fill-test-engine.js';
import { gradientImage, rawRgba, rectMask } from '../support/test-images.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const W = 64;
const H = 48;
const RECT = { x: 10, y: 8, w: 20, h: 12 };

async function setup(engineOpts: TestEngineOptions = {}) {
  const store = new AssetStore(join(await tempDir(), 'assets'));
  const imageBytes = await gradientImage(W, H);
  const image = await store.put(imageBytes, 'image');
  const mask = await store.put(await rectMask(W, H, RECT), 'mask');
  const engine = meanFillTestEngine(engineOpts);
  const log = eventLog();
  const jobs = new InpaintJobs(store, engine, log.sink);
  return { store, image, mask, imageBytes, engine, log, jobs };
}

const inRect = (x: number, y: number) => x >= RECT.x && x < RECT.x + RECT.w && y >= RECT.y && y < RECT.y + RECT.h;

describe('InpaintJobs', () => {
  it('runs a job: progress events, then the result stored as a new asset', async () => {
    const { store, image, mask, imageBytes, log, jobs } = await setup({ steps: 10, stepMs: 20 });
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    const done = await log.waitFinished(jobId);
    expect(done).toMatchObject({ jobId, status: 'done', madeBy: 'inpaint:test-mean', result: { kind: 'image', mime: 'image/png', width: W, height: H } });
    expect(done.result!.hash).not.toBe(image.hash);

    // Outside the mask: untouched. Inside: filled (the test double's mean colour).
    const before = await rawRgba(imageBytes);
    const after = await rawRgba(await store.read(done.result!.hash));
    let changedInside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const same = before.data.subarray(i, i + 4).equals(after.data.subarray(i, i + 4));
        if (!inRect(x, y)) expect(same).toBe(true);
        else if (!same) changedInside++;
      }
    }
    expect(changedInside).toBeGreaterThan(RECT.w * RECT.h * 0.9);

    const progress = log.progress(jobId);
    const values = progress.map((e) => e.payload.progress);
    expect(values.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) {
      expect(values[i]!).toBeGreaterThan(values[i - 1]!);
      if (i < progress.length - 1) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(49);
    }
    // 10 engine steps 20 ms apart are thinned out, not forwarded one by one.
    expect(progress.length).toBeLessThan(10);
    // Progress comes before the end, and exactly one jobFinished.
    expect(log.events.findIndex((e) => e.event === 'jobFinished')).toBeGreaterThan(log.events.findIndex((e) => e.event === 'jobProgress'));
    expect(log.finished(jobId)).toHaveLength(1);
  });

  it('passes the chosen method to the engine and refuses unknown ones', async () => {
    const { image, mask, log, jobs } = await setup();
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash, method: 'test-other' });
    expect((await log.waitFinished(jobId)).madeBy).toBe('inpaint:test-other');
    await expect(jobs.start({ image: image.hash, mask: mask.hash, method: 'magic' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('test-mean') });
  });

  it('refuses a mask of another size, and unknown assets, before starting', async () => {
    const { store, image, engine, jobs } = await setup();
    const small = await store.put(await rectMask(W - 1, H, RECT), 'mask');
    await expect(jobs.start({ image: image.hash, mask: small.hash })).rejects.toMatchObject({
      code: 'size-mismatch',
      message: `The mask is ${W - 1}×${H} but the image is ${W}×${H}; they must be the same size`,
    });
    await expect(jobs.start({ image: image.hash, mask: 'c'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });
    expect(engine.runs).toBe(0);
  });

  it('cancels a running job: cancelled, no result, and a second cancel is a no-op', async () => {
    const { image, mask, log, jobs } = await setup({ steps: 200, stepMs: 10 });
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    await log.waitProgress(jobId);
    expect(jobs.cancel(jobId)).toEqual({ cancelled: true });
    expect(await log.waitFinished(jobId)).toEqual({ jobId, status: 'cancelled' });
    expect(jobs.cancel(jobId)).toEqual({ cancelled: false });
    expect(jobs.cancel('no-such-job')).toEqual({ cancelled: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(log.finished(jobId)).toHaveLength(1);
  });

  it('answers cancel at once even when the engine is slow to stop, and drops its late result', async () => {
    const { store, image, mask, log, jobs } = await setup({ steps: 30, stepMs: 10, ignoreAbort: true });
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    await log.waitProgress(jobId);
    const t0 = performance.now();
    jobs.cancel(jobId);
    expect((await log.waitFinished(jobId)).status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(150);
    await new Promise((r) => setTimeout(r, 400)); // the engine finishes in the background
    expect(log.finished(jobId)).toHaveLength(1);
    const files = await readdir(store.dir, { recursive: true });
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(2); // image + mask only
  });

  it.each([
    ['a plain error', new Error('worker crashed'), { code: 'engine', message: 'The erase failed: worker crashed' }],
    ['an AppError', new AppError('too-large', 'Image too large for this method'), { code: 'too-large', message: 'Image too large for this method' }],
  ])('reports %s as failed with code and message', async (_label, fail, error) => {
    const { image, mask, log, jobs } = await setup({ fail });
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    expect(await log.waitFinished(jobId)).toEqual({ jobId, status: 'failed', error });
  });

  it('dispose cancels running jobs and waits for their end; no new jobs afterwards', async () => {
    const { image, mask, log, jobs } = await setup({ steps: 500, stepMs: 10 });
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    await log.waitProgress(jobId);
    await jobs.dispose();
    expect(log.finished(jobId)).toEqual([{ jobId, status: 'cancelled' }]);
    await expect(jobs.start({ image: image.hash, mask: mask.hash })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a damaged asset file is a failed job with the decoder\'s message', async () => {
    const { store, image, mask, log, jobs } = await setup();
    const file = (await store.file(image.hash))!.path;
    await writeFile(file, (await sharp(await gradientImage(W, H)).png().toBuffer()).subarray(0, 100));
    const { jobId } = await jobs.start({ image: image.hash, mask: mask.hash });
    const end = await log.waitFinished(jobId);
    expect(end.status).toBe('failed');
    expect(end.error?.code).toBe('bad-image');
  });
});
