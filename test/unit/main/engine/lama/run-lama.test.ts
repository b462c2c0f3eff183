import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import type { RawImage } from '../../../../../main/core/images/raw-image.js';
import { LAMA_MODEL } from '../../../../../main/core/models/model-registry.js';
import { contractFromSpec, createLamaInpainter, cudaProviderAvailable, loadLamaSession, runLama, type LamaSession } from '../../../../../main/engine/lama/index.js';
import { changedOutsideMask, emptyMask, fillRect, makeImage } from '../synthetic.js';
import { FILL_RGB, tinyLamaModel } from './tiny-lama-model.js';

const contract = contractFromSpec(LAMA_MODEL);
let dir: string;
let fillPath: string;
let echoPath: string;
let fill: LamaSession;
let echo: LamaSession;

/** A smooth RGBA image whose alpha varies too (alpha must never change). */
const photo = (w: number, h: number): RawImage =>
  makeImage(w, h, 4, (x, y, c) => (c === 0 ? (x * 7 + y) % 256 : c === 1 ? (y * 3) % 256 : c === 2 ? ((x + y) >> 2) % 256 : 128 + ((x * y) % 128)));

function masked(mask: RawImage, i: number): boolean {
  return mask.data[i]! >= 128;
}

/** Every masked pixel is FILL_RGB exactly; every other byte and every alpha byte is unchanged. */
function expectFilledExactly(before: RawImage, after: RawImage, mask: RawImage): void {
  expect(changedOutsideMask(before.data, after.data, mask, before.channels)).toEqual([]);
  let wrong = 0;
  for (let i = 0; i < mask.data.length; i++) {
    const d = i * before.channels;
    if (before.channels === 4 && after.data[d + 3] !== before.data[d + 3]) wrong++;
    if (masked(mask, i) && (after.data[d] !== FILL_RGB[0] || after.data[d + 1] !== FILL_RGB[1] || after.data[d + 2] !== FILL_RGB[2])) wrong++;
  }
  expect(wrong).toBe(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-lama-'));
  fillPath = join(dir, 'fill.onnx');
  echoPath = join(dir, 'echo.onnx');
  writeFileSync(fillPath, tinyLamaModel({ kind: 'fill' }));
  writeFileSync(echoPath, tinyLamaModel({ kind: 'echo' }));
  fill = await loadLamaSession(fillPath, contract, 'cpu', 2);
  echo = await loadLamaSession(echoPath, contract, 'cpu', 2);
});
afterAll(async () => {
  await fill.release();
  await echo.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('runLama on onnxruntime (tiny LaMa-shaped models)', () => {
  it('writes only the masked pixels of a small image, alpha untouched', async () => {
    const before = photo(300, 200);
    const image = { ...before, data: before.data.slice() };
    const mask = fillRect(fillRect(emptyMask(300, 200), 40, 50, 120, 80), 200, 150, 260, 190);
    mask.data[5] = 127; // just below the threshold: kept
    const stats = await runLama(image, mask, fill.infer, contract);
    expect(stats).toMatchObject({ strategy: 'whole', windows: 1 });
    expect(stats.filledPixels).toBe(80 * 30 + 60 * 40);
    expectFilledExactly(before, image, mask);
  });

  it('puts every pixel back where it came from (echo model, no scaling)', async () => {
    const before = photo(300, 200);
    const image = { ...before, data: before.data.slice() };
    const mask = fillRect(emptyMask(300, 200), 10, 10, 290, 190);
    await runLama(image, mask, echo.infer, contract);
    // The echo network returns its input, which has the hole zeroed: masked pixels become black,
    // which proves each one was read back from its own position (and that the hole was cleared).
    for (let i = 0; i < mask.data.length; i++) {
      if (!masked(mask, i)) continue;
      expect([image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2]]).toEqual([0, 0, 0]);
    }
    expect(changedOutsideMask(before.data, image.data, mask, 4)).toEqual([]);
  });

  it('takes the HD path on a large image: windows around the mask only', async () => {
    const before = photo(2400, 1600);
    const image = { ...before, data: before.data.slice() };
    const mask = emptyMask(2400, 1600);
    fillRect(mask, 100, 100, 2300, 150); // a long line: several windows
    fillRect(mask, 1800, 1200, 1850, 1260); // a small label
    const progress: number[] = [];
    const infers: number[] = [];
    const stats = await runLama(
      image,
      mask,
      (a, b) => {
        infers.push(1);
        return fill.infer(a, b);
      },
      contract,
      {},
      { onProgress: (p) => progress.push(p) },
    );
    expect(stats.strategy).toBe('crop');
    expect(stats.windows).toBeGreaterThan(2);
    expect(infers.length).toBe(stats.windows);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expectFilledExactly(before, image, mask);
  });

  it('scales a window down and back when a region is larger than the input', async () => {
    const W = 2400;
    const H = 1600;
    const before = makeImage(W, H, 3, (x, y, c) => (c === 0 ? Math.round((x / W) * 255) : c === 1 ? Math.round((y / H) * 255) : 90));
    const image = { ...before, data: before.data.slice() };
    const mask = fillRect(emptyMask(W, H), 600, 300, 1500, 1200); // 900×900: window 1156 → scaled by 0.44
    const stats = await runLama(image, mask, fill.infer, contract);
    expect(stats.strategy).toBe('crop');
    expect(stats.windows).toBe(1);
    expect(changedOutsideMask(before.data, image.data, mask, 3)).toEqual([]);
    // Deep inside the hole every sample is the fill colour: exact.
    const centre = (750 * W + 1050) * 3;
    expect([...image.data.subarray(centre, centre + 3)]).toEqual([...FILL_RGB]);
  });

  it('places scaled windows correctly (echo model on a gradient)', async () => {
    const W = 2400;
    const H = 1600;
    const before = makeImage(W, H, 3, (x, y, c) => (c === 0 ? Math.round((x / W) * 255) : c === 1 ? Math.round((y / H) * 255) : 90));
    const image = { ...before, data: before.data.slice() };
    const mask = fillRect(emptyMask(W, H), 600, 300, 1500, 1200);
    // A smooth gradient: after shrinking to 512 and bilinear back, what the network returns for a
    // place must land on that place, within a level or two. The "network" here returns the crop as it
    // was before the hole was cleared (an echo that can see through the hole).
    const { cutWindow } = await import('../../../../../main/engine/lama/window-io.js');
    const { planLamaWindows } = await import('../../../../../main/engine/lama/index.js');
    const { findMaskRegions } = await import('../../../../../main/engine/inpaint/mask-regions.js');
    const [win] = planLamaWindows(findMaskRegions(mask.data, W, H), W, H, 512, { cropTriggerSize: 512, cropMargin: 128 }).windows;
    const unmasked = cutWindow(before, new Uint8Array(W * H), win!, 512);
    await runLama(image, mask, async () => unmasked.image.map((v) => v * 255), contract);
    let worst = 0;
    for (let y = 310; y < 1190; y += 7) {
      for (let x = 610; x < 1490; x += 7) {
        const i = (y * W + x) * 3;
        worst = Math.max(worst, Math.abs(image.data[i]! - before.data[i]!), Math.abs(image.data[i + 1]! - before.data[i + 1]!));
      }
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('refuses a model without LaMa\'s inputs, naming what it has', async () => {
    const path = join(dir, 'other.onnx');
    writeFileSync(path, tinyLamaModel({ names: { image: 'x', mask: 'm' } }));
    await expect(loadLamaSession(path, contract)).rejects.toThrow(/is not a LaMa model adstudio can run: no input "image"; no input "mask" \(inputs x, m/);
  });

  it('uses CUDA only where it exists: "cuda" fails clearly without it, "auto" falls back to the CPU', async () => {
    if (cudaProviderAvailable()) return; // a GPU machine: nothing to refuse
    const err = await loadLamaSession(fillPath, contract, 'cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unsupported');
    expect((err as AppError).message).toMatch(/CUDA execution provider is not available/);
    const auto = await loadLamaSession(fillPath, contract, 'auto');
    expect(auto.provider).toBe('cpu');
    await auto.release();
  });
});

describe('createLamaInpainter (worker thread)', () => {
  it('gives the same pixels as the in-process run, with progress, and leaves the caller\'s image alone', async () => {
    const lama = createLamaInpainter({ modelPath: fillPath, threads: 2 });
    try {
      const before = photo(1300, 900);
      const mask = fillRect(fillRect(emptyMask(1300, 900), 100, 100, 1200, 140), 600, 600, 700, 700);
      const progress: number[] = [];
      const out = await lama.inpaint(before, mask, { onProgress: (p) => progress.push(p) });
      expect(out).toMatchObject({ width: 1300, height: 900, channels: 4, strategy: 'crop', provider: 'cpu' });
      expect(progress.at(-1)).toBe(1);
      const local = { ...before, data: before.data.slice() };
      await runLama(local, mask, fill.infer, contract);
      expect(Buffer.from(out.data).equals(Buffer.from(local.data))).toBe(true);
      expect(before.data.length).toBe(1300 * 900 * 4); // not transferred away
      expectFilledExactly(before, { ...before, data: out.data }, mask);
    } finally {
      await lama.close();
    }
  });

  it('cancels promptly between and during runs, and closes cleanly afterwards', async () => {
    const lama = createLamaInpainter({ modelPath: fillPath, threads: 1 });
    try {
      const image = photo(6000, 800);
      const mask = emptyMask(6000, 800);
      for (let y = 60; y < 800; y += 150) fillRect(mask, 50, y, 5950, y + 40); // dozens of windows
      const controller = new AbortController();
      const started = Date.now();
      const run = lama.inpaint(image, mask, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p > 0) controller.abort();
        },
      });
      const err = await run.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(20_000);
      // The worker is still usable after a cancel.
      const small = photo(200, 100);
      const out = await lama.inpaint(small, fillRect(emptyMask(200, 100), 10, 10, 20, 20));
      expect([...out.data.subarray((15 * 200 + 15) * 4, (15 * 200 + 15) * 4 + 3)]).toEqual([...FILL_RGB]);
    } finally {
      await lama.close();
    }
  });
});
