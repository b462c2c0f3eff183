import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { adLayoutSchema } from '../../../../../preload/contract/ad-layout.js';
import type { AppError } from '../../../../../preload/contract/index.js';
import { presetFromPrompt } from '../../../../../main/engine/compose/ad-stages.js';
import { locateModel } from '../../../../../main/engine/cutout/model-files.js';
import { createEmbeddedStageEngine } from '../../../../../main/engine/embedded-stage-engine.js';
import { fixture } from '../../../../support/fixtures.js';
import { tempDir } from './fixtures.js';

const tmp = tempDir('adstudio-ad-stages-');
const engine = createEmbeddedStageEngine({ version: 'test' });
afterAll(async () => {
  await engine.close();
  tmp.cleanup();
});
const signal = new AbortController().signal;
// The network's weights come from an optional package: a build without it has no cut-out model.
const hasModel = !('missing' in locateModel('medium'));

describe('embedded engine: cutout, background and compose stages over files', () => {
  it('lists the new stages and the cut-out networks it has', async () => {
    const caps = await engine.capabilities();
    expect(caps.stages).toEqual(expect.arrayContaining(['detect_text', 'inpaint', 'cutout', 'background', 'compose']));
    const models = await engine.models();
    const isnet = models.find((m) => m.id === 'isnet-medium');
    if (hasModel) expect(isnet).toMatchObject({ stage: 'cutout', device: 'cpu', resident: false });
    else expect(isnet).toBeUndefined();
  });

  it('runs a product photo through cutout → background → compose, each file written where asked', async () => {
    const steps: number[] = [];
    const cut = await engine.runStage(
      { kind: 'cutout', model: null, inputs: { image: fixture('product-banana.png') }, outputs: { image: tmp.at('cut.png'), mask: tmp.at('mask.png') }, params: { method: 'classical' } },
      { signal, onProgress: (s) => steps.push(s) },
    );
    expect(cut.madeBy).toBe('cutout:classical');
    const cutMeta = await sharp(cut.outputs.image!).metadata();
    expect([cutMeta.width, cutMeta.height, cutMeta.channels]).toEqual([800, 705, 4]);
    const maskMeta = await sharp(cut.outputs.mask!).metadata();
    expect([maskMeta.width, maskMeta.height, maskMeta.channels]).toEqual([800, 705, 1]);
    expect(steps.at(-1)).toBe(100);

    const bg = await engine.runStage(
      { kind: 'background', model: null, inputs: { palette: cut.outputs.image! }, outputs: { image: tmp.at('bg.png') }, params: { preset: 'tabletop', size: '1080x1350', seed: 5 } },
      { signal },
    );
    expect(bg.madeBy).toBe('background:tabletop');
    expect((await sharp(bg.outputs.image!).metadata()).height).toBe(1350);

    const ad = await engine.runStage(
      {
        kind: 'compose',
        model: null,
        inputs: { background: bg.outputs.image!, product: cut.outputs.image! },
        outputs: { image: tmp.at('ad.jpg'), layout: tmp.at('ad.json') },
        params: { text: ['달콤한 바나나', '오늘만 특가'], size: '1080x1080' },
      },
      { signal },
    );
    const meta = await sharp(ad.outputs.image!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1080, 1080]);
    const layout = adLayoutSchema.parse(JSON.parse(readFileSync(ad.outputs.layout!, 'utf8')));
    expect(layout.layers.map((l) => l.kind)).toEqual(['product', 'text', 'text']);
    expect(layout.layers.every((l) => l.transform !== undefined)).toBe(true);

    // The saved layout renders again through the layout input.
    const again = await engine.runStage({ kind: 'compose', model: null, inputs: { layout: ad.outputs.layout! }, outputs: { image: tmp.at('again.png') } }, { signal });
    expect((await sharp(again.outputs.image!).metadata()).width).toBe(1080);
  }, 120_000);

  it('takes the product as the colour source and reads a prompt only to pick a preset (it cannot generate)', async () => {
    const r = await engine.runStage(
      { kind: 'background', model: null, inputs: { product: fixture('product-banana.png') }, outputs: { image: tmp.at('wood.webp') }, params: { prompt: 'a wooden table', seed: 3, width: 300, height: 200 } },
      { signal },
    );
    expect(r.madeBy).toBe('background:wood');
    const meta = await sharp(r.outputs.image!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 300, 200]);
    expect(presetFromPrompt('대리석 위의 화장품')).toBe('marble');
    expect(presetFromPrompt('오늘만 5천원')).toBe('sweep');
  });

  it('says what is wrong with a bad request', async () => {
    const fail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a failure');
    };
    const e1 = await fail(engine.runStage({ kind: 'background', model: null, inputs: {}, outputs: { image: tmp.at('x.png') }, params: { preset: 'velvet' } }, { signal }));
    expect([e1.code, e1.message]).toEqual(['bad-request', expect.stringMatching(/unknown background preset "velvet"/)]);
    const e2 = await fail(engine.runStage({ kind: 'cutout', model: null, inputs: { image: fixture('product-banana.png') }, outputs: { image: tmp.at('x.jpg') } }, { signal }));
    expect(e2.message).toMatch(/\.png or \.webp/);
    const e3 = await fail(engine.runStage({ kind: 'compose', model: null, inputs: { background: fixture('product-banana.png') }, outputs: { image: tmp.at('x.png') } }, { signal }));
    expect(e3.message).toMatch(/at least one product/);
  });

  it.skipIf(!hasModel)('loads and unloads the cut-out network explicitly', async () => {
    await engine.load('isnet-medium');
    expect((await engine.models()).find((m) => m.id === 'isnet-medium')?.resident).toBe(true);
    await engine.unload('isnet-medium');
    expect((await engine.models()).find((m) => m.id === 'isnet-medium')?.resident).toBe(false);
  }, 120_000);
});
