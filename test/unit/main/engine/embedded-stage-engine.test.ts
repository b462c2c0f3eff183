import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../preload/contract/index.js';
import { createEmbeddedStageEngine, EMBEDDED_DETECTOR_MODEL } from '../../../../main/engine/embedded-stage-engine.js';
import { fixture } from '../../../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'adstudio-ese-'));
const engine = createEmbeddedStageEngine({ version: 'test' });
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const signal = new AbortController().signal;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('embedded stage engine (real detector and inpainting, over files)', () => {
  it('says what it is: CPU only, not simulated, detect_text and inpaint', async () => {
    const caps = await engine.capabilities();
    expect(caps).toMatchObject({ engine: 'embedded', simulated: false, stages: ['detect_text', 'inpaint', 'cutout', 'background', 'compose'] });
    expect(caps.inpaintMethods).toContain('patchmatch');
    expect(await engine.memory()).toBeNull();
    expect((await engine.health()).status).toBe('healthy');
  });

  it('loads and unloads its detector explicitly', async () => {
    await engine.load(EMBEDDED_DETECTOR_MODEL);
    expect((await engine.models()).find((m) => m.id === EMBEDDED_DETECTOR_MODEL)?.resident).toBe(true);
    await engine.unload(EMBEDDED_DETECTOR_MODEL);
    expect((await engine.models()).find((m) => m.id === EMBEDDED_DETECTOR_MODEL)?.resident).toBe(false);
    expect((await rejection(engine.load('flux-dev'))).code).toBe('not-found');
  });

  it('detects the text of a real ad into a mask and boxes, then erases exactly the masked pixels', async () => {
    const image = fixture('ad-apples-korean-text.png');
    const steps: number[] = [];
    const detected = await engine.runStage(
      { kind: 'detect_text', model: EMBEDDED_DETECTOR_MODEL, inputs: { image }, outputs: { mask: join(dir, 'mask.png'), boxes: join(dir, 'boxes.json') } },
      { signal, onProgress: (step) => steps.push(step) },
    );
    expect(detected.madeBy).toBe('detect-text:ppocrv4');
    const meta = await sharp(image).metadata();
    const maskMeta = await sharp(detected.outputs.mask!).metadata();
    expect([maskMeta.format, maskMeta.width, maskMeta.height, maskMeta.channels]).toEqual(['png', meta.width, meta.height, 1]);
    const mask = await sharp(detected.outputs.mask!).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const masked = mask.data.filter((v) => v === 255).length;
    expect(masked).toBeGreaterThan(0);
    const boxes = JSON.parse(readFileSync(detected.outputs.boxes!, 'utf8')) as { width: number; regions: unknown[] };
    expect(boxes.width).toBe(meta.width);
    expect(boxes.regions.length).toBeGreaterThan(0);
    expect(steps.at(-1)).toBe(100);

    const erased = await engine.runStage(
      { kind: 'inpaint', model: null, inputs: { image, mask: detected.outputs.mask! }, outputs: { image: join(dir, 'erased.png') }, params: { method: 'telea' } },
      { signal },
    );
    expect(erased.madeBy).toBe('inpaint:telea');
    const before = await sharp(image).removeAlpha().raw().toBuffer();
    const after = await sharp(erased.outputs.image!).removeAlpha().raw().toBuffer();
    let outsideChanged = 0;
    let insideChanged = 0;
    for (let i = 0; i < mask.data.length; i++) {
      const differs = before[i * 3] !== after[i * 3] || before[i * 3 + 1] !== after[i * 3 + 1] || before[i * 3 + 2] !== after[i * 3 + 2];
      if (mask.data[i]! >= 128) insideChanged += differs ? 1 : 0;
      else outsideChanged += differs ? 1 : 0;
    }
    expect(outsideChanged).toBe(0);
    expect(insideChanged).toBeGreaterThan(masked * 0.3);
  });

  it('refuses what it cannot do, bad inputs and a mask of another size, with clear errors', async () => {
    const image = fixture('product-banana.png');
    const unsupported = await rejection(engine.runStage({ kind: 'refine', model: null, inputs: {}, outputs: { image: join(dir, 'refined.png') } }, { signal }));
    expect(unsupported.code).toBe('unsupported');
    const missing = await rejection(engine.runStage({ kind: 'inpaint', model: null, inputs: { image }, outputs: { image: join(dir, 'x.png') } }, { signal }));
    expect(missing.message).toContain('"mask"');
    const small = join(dir, 'small-mask.png');
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toFile(small);
    const mismatch = await rejection(engine.runStage({ kind: 'inpaint', model: null, inputs: { image, mask: small }, outputs: { image: join(dir, 'x.png') } }, { signal }));
    expect(mismatch.code).toBe('size-mismatch');
    const badFormat = await rejection(engine.runStage({ kind: 'inpaint', model: null, inputs: { image, mask: small }, outputs: { image: join(dir, 'x.gif') } }, { signal }));
    expect(badFormat.code).toBe('bad-request');
  });
});
