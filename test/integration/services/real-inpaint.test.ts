import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedInpaintEngine } from '../../../main/engine/embedded-inpaint-engine.js';
import { resolveServicePaths } from '../../../main/core/paths/default-paths.js';
import { createServices } from '../../../main/core/services.js';
import type { Services } from '../../../main/core/services-types.js';
import { eventLog } from '../../unit/main/core/support/event-log.js';
import { fixture, rectMask } from '../../unit/main/core/support/test-images.js';
import { imageRecord, makeDocument, maskRecord } from '../../unit/main/core/support/test-document.js';
import { useTempDirs } from '../../unit/main/core/support/temp-dir.js';

/**
 * The real thing end to end in Node: the embedded engine (worker threads) behind createServices,
 * the way the Electron main process and the browser-mode server use it.
 */
const tempDir = useTempDirs();
const running: Services[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.dispose()));
});

const W = 1024;
const H = 1072;
const RECT = { x: 120, y: 80, w: 300, h: 90 };

async function start(base?: string) {
  const dir = base ?? (await tempDir());
  const services = await createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: createEmbeddedInpaintEngine(),
    downloadUrl: (p) => `http://127.0.0.1:1/d?p=${encodeURIComponent(p)}`,
  });
  running.push(services);
  const log = eventLog();
  services.onEvent(log.sink);
  return { dir, services, h: services.handlers, log };
}

async function rgba(bytes: Uint8Array | string) {
  return (await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })).data;
}

describe('services with the embedded engine', () => {
  it('erases a masked region of a real ad: outside unchanged, inside filled; export and project keep it', async () => {
    const { dir, h, log } = await start();
    const original = new Uint8Array(await readFile(fixture('ad-apples-korean-text.png')));
    const image = await h.putAsset({ kind: 'image', bytes: original, name: 'ad-apples-korean-text.png' });
    const mask = await h.putAsset({ kind: 'mask', bytes: await rectMask(W, H, RECT) });
    const methods = await h.listInpaintMethods(undefined);
    expect(methods.some((m) => m.isDefault)).toBe(true);

    const { jobId } = await h.startInpaint({ image: image.hash, mask: mask.hash });
    const end = await log.waitFinished(jobId, 60_000);
    expect(end).toMatchObject({ status: 'done', madeBy: `inpaint:${methods.find((m) => m.isDefault)!.id}`, result: { width: W, height: H } });
    expect(log.progress(jobId).at(-1)?.payload.progress).toBe(1);

    // The erased layer exported at full resolution: bit-identical outside the mask, changed inside.
    const doc = makeDocument(W, H, [
      imageRecord('img', end.result!.hash, W, H, { props: { asset: end.result!.hash, width: W, height: H, madeBy: end.madeBy! } }),
      maskRecord('m', 'img', mask.hash, W, H),
    ]);
    const out = await h.exportImage({ document: doc, format: 'png' });
    const before = await rgba(original);
    const after = await rgba(out!.path);
    let outsideDiffs = 0;
    let insideChanged = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const same = before[i] === after[i] && before[i + 1] === after[i + 1] && before[i + 2] === after[i + 2] && before[i + 3] === after[i + 3];
        const inside = x >= RECT.x && x < RECT.x + RECT.w && y >= RECT.y && y < RECT.y + RECT.h;
        if (!inside && !same) outsideDiffs++;
        if (inside && !same) insideChanged++;
      }
    }
    expect(outsideDiffs).toBe(0);
    expect(insideChanged).toBeGreaterThan(RECT.w * RECT.h * 0.2);

    const saved = await h.saveProject({ document: doc });
    // A second app instance on the same folders (a restart) opens it.
    const reopened = await (await start(dir)).h.openProject({ path: saved!.path });
    expect(reopened!.document).toEqual(doc);
  });

  it('cancels a real erase job', async () => {
    const { h, log } = await start();
    const image = await h.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('ad-market-banana-price.png'))) });
    const mask = await h.putAsset({ kind: 'mask', bytes: await rectMask(1024, 1024, { x: 50, y: 50, w: 900, h: 900 }) });
    const { jobId } = await h.startInpaint({ image: image.hash, mask: mask.hash });
    // Cancel while the worker is filling (after real engine progress), not before it starts.
    await log.waitProgress(jobId);
    const t0 = performance.now();
    expect(await h.cancelJob({ jobId })).toEqual({ cancelled: true });
    expect(await log.waitFinished(jobId, 30_000)).toEqual({ jobId, status: 'cancelled' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
