import { afterAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../../preload/contract/index.js';
import { labOf, deltaE, type Rgb } from '../../../../../main/engine/compose/raster/lab.js';
import { createCutoutEngine } from '../../../../../main/engine/cutout/index.js';
import type { CutoutResult } from '../../../../../main/engine/cutout/types.js';
import { bananaTruth, deep } from './banana-truth.js';
import { syntheticShot } from './synthetic-product.js';

const engine = createCutoutEngine();
const noModel = createCutoutEngine({ modelPackage: '@adstudio/no-such-model-package' });
afterAll(async () => {
  await Promise.all([engine.close(), noModel.close()]);
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

interface Region {
  iou: number;
  /** Share of clear-background pixels (≥ 6 px from the banana) that stayed transparent. */
  backgroundClear: number;
  /** Share of deep-inside pixels (≥ 6 px in) that are fully opaque. */
  productSolid: number;
}

async function regionScore(result: CutoutResult): Promise<Region> {
  const truth = await bananaTruth();
  const a = result.image.data;
  const n = truth.width * truth.height;
  let inter = 0;
  let union = 0;
  for (let i = 0; i < n; i++) {
    const mine = a[i * 4 + 3]! >= 128;
    const want = truth.inside[i] === 1;
    if (mine && want) inter++;
    if (mine || want) union++;
  }
  const bg = deep(truth.inside, truth.width, truth.height, 0, 6);
  const fg = deep(truth.inside, truth.width, truth.height, 1, 6);
  let bgN = 0;
  let bgOk = 0;
  let fgN = 0;
  let fgOk = 0;
  for (let i = 0; i < n; i++) {
    if (bg[i]) {
      bgN++;
      if (a[i * 4 + 3] === 0) bgOk++;
    }
    if (fg[i]) {
      fgN++;
      if (a[i * 4 + 3] === 255) fgOk++;
    }
  }
  return { iou: inter / union, backgroundClear: bgOk / bgN, productSolid: fgOk / fgN };
}

/**
 * Halo check on the semi-transparent rim: how far (ΔE) its colours are from the product's inner colour
 * and from the old white backdrop — for the cut-out's colours and, for comparison, for the photo's own
 * pixels there (which do carry the white: that is what a halo is).
 */
async function rimColours(result: CutoutResult): Promise<{ toProduct: number; toWhite: number; rawToProduct: number; rawToWhite: number; count: number }> {
  const truth = await bananaTruth();
  const a = result.image.data;
  const inner = deep(truth.inside, truth.width, truth.height, 1, 8);
  const mean = [0, 0, 0];
  let m = 0;
  for (let i = 0; i < inner.length; i++) {
    if (!inner[i]) continue;
    for (let c = 0; c < 3; c++) mean[c]! += truth.rgb[i * 3 + c]!;
    m++;
  }
  const product = labOf(mean.map((v) => v / m) as Rgb);
  const white = labOf([255, 255, 255]);
  let toProduct = 0;
  let toWhite = 0;
  let rawToProduct = 0;
  let rawToWhite = 0;
  let count = 0;
  for (let i = 0; i < inner.length; i++) {
    const al = a[i * 4 + 3]!;
    if (al < 40 || al > 215) continue;
    const mine = labOf([a[i * 4]!, a[i * 4 + 1]!, a[i * 4 + 2]!]);
    const raw = labOf([truth.rgb[i * 3]!, truth.rgb[i * 3 + 1]!, truth.rgb[i * 3 + 2]!]);
    toProduct += deltaE(mine, product);
    toWhite += deltaE(mine, white);
    rawToProduct += deltaE(raw, product);
    rawToWhite += deltaE(raw, white);
    count++;
  }
  return { toProduct: toProduct / count, toWhite: toWhite / count, rawToProduct: rawToProduct / count, rawToWhite: rawToWhite / count, count };
}

async function banana() {
  const t = await bananaTruth();
  return { data: t.rgb.slice(), width: t.width, height: t.height, channels: 3 as const };
}

const hasModel = engine.modelStatus('medium').available;

describe('cut-out of the banana product photo', () => {
  it.skipIf(!hasModel)(
    'with the segmentation network: the alpha covers the banana and not the backdrop, edges without a white halo',
    async () => {
      const steps: number[] = [];
      const result = await engine.cutout({ image: await banana(), method: 'model', onProgress: (p) => steps.push(p) });
      expect(result.madeBy).toBe('cutout:isnet-medium');
      expect(result.fallbackReason).toBeUndefined();
      expect([result.image.width, result.image.height, result.image.channels]).toEqual([800, 705, 4]);
      // The mask is the alpha, as an 8-bit plane.
      expect(result.mask.channels).toBe(1);
      for (let i = 0; i < result.mask.data.length; i += 997) expect(result.mask.data[i]).toBe(result.image.data[i * 4 + 3]);
      const region = await regionScore(result);
      expect(region.iou).toBeGreaterThan(0.98);
      expect(region.backgroundClear).toBeGreaterThan(0.995);
      expect(region.productSolid).toBeGreaterThan(0.99);
      const rim = await rimColours(result);
      expect(rim.count).toBeGreaterThan(200);
      // The photo's rim pixels are closer to white than to the banana; the cut-out's are the other way round.
      expect(rim.rawToWhite).toBeLessThan(rim.rawToProduct);
      expect(rim.toProduct).toBeLessThan(rim.toWhite / 2);
      expect(steps.length).toBeGreaterThan(2);
      expect(steps.at(-1)).toBe(1);
    },
    120_000,
  );

  it('with the classical matte (forced): the same region, no halo, and it says which method made it', async () => {
    const result = await engine.cutout({ image: await banana(), method: 'classical' });
    expect(result.madeBy).toBe('cutout:classical');
    const region = await regionScore(result);
    expect(region.iou).toBeGreaterThan(0.97);
    expect(region.backgroundClear).toBeGreaterThan(0.99);
    expect(region.productSolid).toBeGreaterThan(0.99);
    const rim = await rimColours(result);
    expect(rim.toProduct).toBeLessThan(rim.toWhite / 2);
    expect(result.coverage).toBeGreaterThan(0.25);
    expect(result.coverage).toBeLessThan(0.35);
  }, 60_000);

  it.skipIf(!hasModel)(
    'cancels a network run at once; the run finishes in the background and the engine keeps working',
    async () => {
      const controller = new AbortController();
      const pending = engine.cutout({ image: await banana(), method: 'model', signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      const started = Date.now();
      const e = await rejection(pending);
      expect(e.code).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(1500);
      // The worker was not killed mid-run (that would abort the process): the next job just waits for it.
      const next = await engine.cutout({ image: await banana(), method: 'classical' });
      expect(next.madeBy).toBe('cutout:classical');
      // Cancelled while a fresh worker is still loading the network, then closed: no crash either.
      const fresh = createCutoutEngine();
      const early = new AbortController();
      const loading = fresh.cutout({ image: await banana(), method: 'model', signal: early.signal });
      setTimeout(() => early.abort(), 100);
      expect((await rejection(loading)).code).toBe('cancelled');
      await fresh.close();
    },
    120_000,
  );

  it('falls back to the classical matte when the model is not in the build, and says why', async () => {
    expect(noModel.modelStatus('medium')).toMatchObject({ available: false });
    const result = await noModel.cutout({ image: await banana() });
    expect(result.madeBy).toBe('cutout:classical');
    expect(result.fallbackReason).toMatch(/not installed/);
    expect((await regionScore(result)).iou).toBeGreaterThan(0.93);
    // Asking for the network explicitly is an error that names the way out.
    const e = await rejection(noModel.cutout({ image: await banana(), method: 'model' }));
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/--method classical/);
  }, 60_000);
});

describe('classical matte on a graded backdrop with known alpha', () => {
  it('recovers the alpha and the product colours along the soft edge', async () => {
    const shot = syntheticShot();
    const result = await engine.cutout({ image: { data: shot.rgb, width: shot.width, height: shot.height, channels: 3 }, method: 'classical' });
    const a = result.image.data;
    let inter = 0;
    let union = 0;
    let edgeErr = 0;
    let edgeN = 0;
    let colourErr = 0;
    let rawErr = 0;
    for (let i = 0; i < shot.alpha.length; i++) {
      const mine = a[i * 4 + 3]! / 255;
      const want = shot.alpha[i]!;
      if (mine >= 0.5 && want >= 0.5) inter++;
      if (mine >= 0.5 || want >= 0.5) union++;
      if (want > 0.15 && want < 0.85) {
        edgeErr += Math.abs(mine - want);
        edgeN++;
        const f = [shot.fg[i * 3]!, shot.fg[i * 3 + 1]!, shot.fg[i * 3 + 2]!] as Rgb;
        colourErr += deltaE(labOf([a[i * 4]!, a[i * 4 + 1]!, a[i * 4 + 2]!]), labOf(f));
        rawErr += deltaE(labOf([shot.rgb[i * 3]!, shot.rgb[i * 3 + 1]!, shot.rgb[i * 3 + 2]!]), labOf(f));
      }
    }
    expect(inter / union).toBeGreaterThan(0.97);
    expect(edgeErr / edgeN).toBeLessThan(0.2);
    // Decontaminated edge colours are much closer to the true product colour than the mixed pixels.
    expect(colourErr / edgeN).toBeLessThan((rawErr / edgeN) * 0.6);
  }, 60_000);

  it('refuses an image with no product in it, with a message a person can act on', async () => {
    const flat = new Uint8Array(200 * 150 * 3).fill(240);
    const e = await rejection(engine.cutout({ image: { data: flat, width: 200, height: 150, channels: 3 }, method: 'classical' }));
    expect(e.code).toBe('bad-image');
    expect(e.message).toMatch(/no (clear )?product/);
  });

  it('keeps an input alpha: the result is never more opaque than the source', async () => {
    const shot = syntheticShot(200, 160);
    const rgba = new Uint8Array(200 * 160 * 4);
    for (let i = 0; i < 200 * 160; i++) {
      rgba.set(shot.rgb.subarray(i * 3, i * 3 + 3), i * 4);
      rgba[i * 4 + 3] = i % 200 < 100 ? 255 : 0; // right half already transparent
    }
    const result = await engine.cutout({ image: { data: rgba, width: 200, height: 160, channels: 4 }, method: 'classical' });
    for (let y = 0; y < 160; y += 7) for (let x = 100; x < 200; x += 5) expect(result.image.data[(y * 200 + x) * 4 + 3]).toBe(0);
  });

  it('cancels promptly', async () => {
    const shot = syntheticShot(1600, 1200);
    const controller = new AbortController();
    const pending = engine.cutout({ image: { data: shot.rgb, width: 1600, height: 1200, channels: 3 }, method: 'classical', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const e = await rejection(pending);
    expect(e.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
