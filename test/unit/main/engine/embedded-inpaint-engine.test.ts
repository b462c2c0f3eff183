import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../preload/contract/index.js';
import { createEmbeddedInpaintEngine } from '../../../../main/engine/embedded-inpaint-engine.js';
import { inpaintPixels } from '../../../../main/engine/inpaint/inpaint-pixels.js';
import { DEFAULT_METHOD_ID, getFillMethod } from '../../../../main/engine/inpaint/methods.js';
import { changedOutsideMask, emptyMask, fillRect, makeImage, rng } from './synthetic.js';

const engine = createEmbeddedInpaintEngine();
afterAll(() => engine.close());

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the call to fail');
}

/** Byte equality without vitest's slow deep-equal on big typed arrays. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

function textLikeCase(width: number, height: number, seed: number) {
  const rand = rng(seed);
  const image = makeImage(width, height, 4, (x, y, c) => (c === 3 ? 255 : (x * (c + 1) + y + Math.floor(rand() * 10)) & 255));
  const mask = emptyMask(width, height);
  for (let row = 0; row < 5; row++) for (let x = 10; x < width - 30; x += 23) fillRect(mask, x, 15 + row * 40, x + 7, 40 + row * 40);
  return { image, mask };
}

describe('embedded inpaint engine', () => {
  it('lists its methods with exactly one default', () => {
    const methods = engine.methods();
    expect(methods.filter((m) => m.isDefault).map((m) => m.id)).toEqual([DEFAULT_METHOD_ID]);
    expect(methods.map((m) => m.id)).toEqual(expect.arrayContaining(['telea', 'smooth']));
    for (const m of methods) expect(m.label).not.toBe('');
  });

  it('uses the default method when none is named', async () => {
    const { image, mask } = textLikeCase(80, 60, 4);
    expect((await engine.inpaint({ image, mask })).madeBy).toBe(`inpaint:${DEFAULT_METHOD_ID}`);
  });

  it('inpaints in a worker with the same pixels as in-process, leaving the caller’s buffers intact', async () => {
    const { image, mask } = textLikeCase(300, 220, 5);
    const before = image.data.slice();
    const progress: number[] = [];
    const result = await engine.inpaint({ image, mask, method: 'telea', onProgress: (p) => progress.push(p) });

    expect(result.madeBy).toBe('inpaint:telea');
    expect(sameBytes(image.data, before)).toBe(true); // the request's image was copied, not moved or modified
    const expected = { ...image, data: image.data.slice() };
    inpaintPixels(expected, mask, getFillMethod('telea'));
    expect(sameBytes(result.image.data, expected.data)).toBe(true);
    expect(changedOutsideMask(before, result.image.data, mask, 4)).toEqual([]);
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
  });

  it('moves the caller’s buffers instead of copying them when asked to (transferInput, one worker)', async () => {
    const single = createEmbeddedInpaintEngine({ poolSize: 1 });
    try {
      const { image, mask } = textLikeCase(200, 150, 12);
      const expected = { ...image, data: image.data.slice() };
      inpaintPixels(expected, mask, getFillMethod('telea'));
      const result = await single.inpaint({ image, mask, method: 'telea', transferInput: true });
      expect(image.data.byteLength).toBe(0); // detached: now owned by the result
      expect(sameBytes(result.image.data, expected.data)).toBe(true);
    } finally {
      await single.close();
    }
  });

  it('splits the regions over several workers with exactly the pixels of one worker', async () => {
    const wide = createEmbeddedInpaintEngine({ poolSize: 3 });
    try {
      const { image, mask } = textLikeCase(260, 210, 21);
      const expected = { ...image, data: image.data.slice() };
      inpaintPixels(expected, mask, getFillMethod('patchmatch'));
      const progress: number[] = [];
      const result = await wide.inpaint({ image, mask, method: 'patchmatch', onProgress: (p) => progress.push(p) });
      expect(sameBytes(result.image.data, expected.data)).toBe(true);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
      expect(progress.at(-1)).toBeCloseTo(1, 6);
    } finally {
      await wide.close();
    }
  });

  it('runs another method by id', async () => {
    const { image, mask } = textLikeCase(160, 120, 6);
    const result = await engine.inpaint({ image, mask, method: 'smooth' });
    expect(result.madeBy).toBe('inpaint:smooth');
    expect(changedOutsideMask(image.data, result.image.data, mask, 4)).toEqual([]);
  });

  it('cancels a large job within 100 ms and stays usable', async () => {
    const image = makeImage(2400, 1800, 3, (x, y, c) => (x + 2 * y + c * 50) & 255);
    const mask = fillRect(emptyMask(2400, 1800), 200, 200, 2200, 1600); // seconds of work
    const controller = new AbortController();
    let abortedAt = 0;
    const job = engine.inpaint({
      image,
      mask,
      method: 'telea',
      signal: controller.signal,
      onProgress: () => {
        if (abortedAt) return;
        abortedAt = performance.now();
        controller.abort();
      },
    });
    const err = await rejection(job);
    const took = performance.now() - abortedAt;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('cancelled');
    expect(abortedAt).toBeGreaterThan(0);
    expect(took).toBeLessThan(100);

    const small = textLikeCase(120, 90, 8);
    await expect(engine.inpaint({ ...small, method: 'telea' })).resolves.toHaveProperty('madeBy', 'inpaint:telea');
  });

  it('cancels the default method (patchmatch, split over the workers) within 100 ms on a large image and stays usable', async () => {
    // 4000×3000 with 24 lines of text-like strokes: many seconds of PatchMatch over both workers.
    const image = makeImage(4000, 3000, 3, (x, y, c) => (x * (c + 1) + 3 * y + ((x * y) >> 7)) & 255);
    const mask = emptyMask(4000, 3000);
    for (let row = 0; row < 24; row++) for (let x = 150; x < 3700; x += 41) fillRect(mask, x, 100 + row * 120, x + 13, 160 + row * 120);
    expect(DEFAULT_METHOD_ID).toBe('patchmatch');
    // Best of three, as for text detection: on a machine shared with other busy processes one scheduling
    // hiccup can exceed 100 ms; an engine that let the job run on (seconds) would fail all three.
    const tooks: number[] = [];
    for (let attempt = 0; attempt < 3 && !tooks.some((t) => t < 100); attempt++) {
      const controller = new AbortController();
      let abortedAt = 0;
      let progressAtAbort = 1;
      const job = engine.inpaint({
        image,
        mask,
        signal: controller.signal,
        onProgress: (p) => {
          if (abortedAt) return;
          abortedAt = performance.now();
          progressAtAbort = p;
          controller.abort();
        },
      });
      const err = await rejection(job);
      tooks.push(performance.now() - abortedAt);
      expect(abortedAt).toBeGreaterThan(0);
      expect(progressAtAbort).toBeLessThan(0.5); // aborted early in the job, not as it finished
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('cancelled');
    }
    expect(Math.min(...tooks)).toBeLessThan(100);
    expect(Math.max(...tooks)).toBeLessThan(1000);

    const small = textLikeCase(120, 90, 13);
    await expect(engine.inpaint(small)).resolves.toHaveProperty('madeBy', 'inpaint:patchmatch');
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { image, mask } = textLikeCase(60, 60, 9);
    const err = await rejection(engine.inpaint({ image, mask, signal: AbortSignal.abort() }));
    expect(err.code).toBe('cancelled');
  });

  it('returns an unchanged copy quickly for an empty mask', async () => {
    const image = makeImage(500, 400, 3, (x, y) => (x ^ y) & 255);
    const progress: number[] = [];
    const result = await engine.inpaint({ image, mask: emptyMask(500, 400), onProgress: (p) => progress.push(p) });
    expect(sameBytes(result.image.data, image.data)).toBe(true);
    expect(result.image.data !== image.data).toBe(true); // a copy: the caller may mutate either
    expect(progress).toEqual([1]);
  });

  it('refuses a mask of another size or with several channels (size-mismatch)', async () => {
    const image = makeImage(40, 30, 3, () => 9);
    const wrongSize = await rejection(engine.inpaint({ image, mask: emptyMask(41, 30) }));
    expect(wrongSize.code).toBe('size-mismatch');
    expect(wrongSize.message).toContain('41×30');
    const rgbMask = { data: new Uint8Array(40 * 30 * 3), width: 40, height: 30, channels: 3 as const };
    expect((await rejection(engine.inpaint({ image, mask: rgbMask }))).code).toBe('size-mismatch');
  });

  it('names the available methods when asked for an unknown one', async () => {
    const { image, mask } = textLikeCase(60, 60, 10);
    const err = await rejection(engine.inpaint({ image, mask, method: 'magic' }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(/unknown inpainting method "magic".*telea/);
  });

  it('reports a crashing worker as an engine error, not a hang', async () => {
    const broken = createEmbeddedInpaintEngine({ workerScript: new URL('./fixtures/exit-worker.mjs', import.meta.url) });
    try {
      const { image, mask } = textLikeCase(60, 60, 11);
      const err = await rejection(broken.inpaint({ image, mask }));
      expect(err.code).toBe('engine');
      expect(err.message).toMatch(/inpainting worker stopped unexpectedly/);
    } finally {
      await broken.close();
    }
  });
});
