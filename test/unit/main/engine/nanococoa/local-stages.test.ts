/**
 * withLocalStages' routing between the nanoCocoa server and the embedded engine. The server is the
 * TEST DOUBLE (test/integration/nanococoa/nanococoa-test-double.ts: 96×64 synthetic pictures, counts
 * every request), so this proves where each stage goes and what comes back — not the real server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStageEngine } from '../../../../../main/engine/embedded-stage-engine.js';
import { nanococoaEngineFor, withLocalStages } from '../../../../../main/engine/nanococoa/index.js';
import type { StageEngine, StageRequest } from '../../../../../main/engine/stage-engine.js';
import { startNanoCocoaTestDouble, type NanoCocoaTestDouble } from '../../../../integration/nanococoa/nanococoa-test-double.js';

let dir: string;
let server: NanoCocoaTestDouble;
let embedded: StageEngine;
let engine: StageEngine;
const at = (name: string) => join(dir, name);
const run = (request: StageRequest, e: StageEngine = engine) => e.runStage(request, { signal: new AbortController().signal });
const generated = () => server.count('POST', '/generate');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-local-stages-'));
  server = await startNanoCocoaTestDouble({ tickMs: 5, ticksPerStep: 3 });
  embedded = createEmbeddedStageEngine({ version: 'test' });
  engine = withLocalStages(nanococoaEngineFor(server.url, { pollMs: 20, queuePollMs: 20 }), embedded);
});

afterAll(async () => {
  await engine.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pixels(path: string) {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('withLocalStages routes each stage to the engine that can do what it asks', () => {
  it('a preset background (no model) is drawn by the embedded engine: the preset\'s own pixels, nothing sent to the server', async () => {
    const before = generated();
    const params = { preset: 'wood', width: 120, height: 90, seed: 3 };
    const routed = await run({ kind: 'background', model: null, inputs: {}, outputs: { image: at('preset.png') }, params });
    expect(routed.madeBy).toBe('background:wood');
    // The same stage straight on the embedded engine: identical pixels.
    await run({ kind: 'background', model: null, inputs: {}, outputs: { image: at('preset-direct.png') }, params }, embedded);
    const [a, b] = [await pixels(at('preset.png')), await pixels(at('preset-direct.png'))];
    expect([a.width, a.height]).toEqual([120, 90]);
    expect(a.data.equals(b.data)).toBe(true);
    expect(generated()).toBe(before);
  });

  it('a background from a prompt (no model) goes to the server: its 96×64 picture comes back', async () => {
    const before = generated();
    const routed = await run({ kind: 'background', model: null, inputs: {}, outputs: { image: at('prompt.png') }, params: { prompt: 'a wooden table', width: 120, height: 90 } });
    expect(routed.madeBy).toBe('nanococoa:flux background');
    expect(await sharp(at('prompt.png')).metadata()).toMatchObject({ width: 96, height: 64 });
    expect(generated()).toBe(before + 1);
  });

  it('the editor\'s prompt candidates (a prompt, each labelled with a preset) are generated, not drawn as the preset', async () => {
    const before = generated();
    const routed = await run({ kind: 'background', model: null, inputs: {}, outputs: { image: at('editor.png') }, params: { preset: 'sweep', prompt: '대리석 위의 화장품', width: 120, height: 90, seed: 1 } });
    expect(routed.madeBy).toBe('nanococoa:flux background');
    expect(generated()).toBe(before + 1);
  });

  it('a blank prompt asks for nothing: the preset stays local', async () => {
    const before = generated();
    const routed = await run({ kind: 'background', model: null, inputs: {}, outputs: { image: at('blank.png') }, params: { preset: 'sweep', prompt: '  ', width: 64, height: 48 } });
    expect(routed.madeBy).toBe('background:sweep');
    expect(generated()).toBe(before);
  });

  it('a stage naming one of the server\'s models goes there whatever its params say', async () => {
    const before = generated();
    const routed = await run({ kind: 'background', model: 'nanococoa-sdxl', inputs: {}, outputs: { image: at('sdxl.png') }, params: { preset: 'wood' } });
    expect(routed.madeBy).toBe('nanococoa:sdxl background');
    expect(generated()).toBe(before + 1);
  });

  it('a stage the embedded engine cannot run (lettering, no model) goes to the server', async () => {
    const before = generated();
    const routed = await run({ kind: 'render_text', model: null, inputs: { image: at('prompt.png') }, outputs: { image: at('lettered.png') }, params: { text: '신선한 사과' } });
    expect(routed.madeBy).toMatch(/^nanococoa:/);
    expect(generated()).toBe(before + 1);
    // The double's lettering: a white band across the top of the picture it was given.
    const out = await pixels(at('lettered.png'));
    expect([out.width, out.height]).toEqual([96, 64]);
    expect([...out.data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('models are loaded where they live: the server\'s there, an unknown one refused by the embedded engine by name', async () => {
    await expect(engine.load('nanococoa-flux')).resolves.toBeUndefined();
    await expect(engine.load('flux-dev')).rejects.toThrow(/the embedded engine has no model "flux-dev"/);
  });
});
