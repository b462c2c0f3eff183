import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFailures,
  drag,
  imageAsset,
  jobStates,
  maskState,
  openEditorPage,
  openImage,
  recordJobStates,
  snap,
  startHarness,
  waitForUndoCount,
  type EditorPage,
  type Harness,
} from './support/editor-page.js';
import type { HookGlobal } from './support/hook-types.js';

const W = 4000;
const H = 3000;

/** A 12-megapixel photo-like picture (gradients and blocks), written with sharp. */
async function writeLargePng(path: string): Promise<void> {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const block = ((x >> 7) + (y >> 7)) & 1;
      data[o] = (x * 255) / W;
      data[o + 1] = (y * 255) / H;
      data[o + 2] = block ? 200 : 60;
    }
  }
  await sharp(data, { raw: { width: W, height: H, channels: 3 } }).png({ compressionLevel: 1 }).toFile(path);
}

describe('cancel a long erase', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('cancel', () => ui?.page);
  let bigPng: string;

  beforeAll(async () => {
    h = await startHarness('cancel');
    bigPng = join(h.work.files, 'large-4000x3000.png');
    await writeLargePng(bigPng);
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Cancel while the erase runs: the job ends as cancelled, the image and history are unchanged', async () => {
    const { page } = ui;
    const opened = await openImage(page, bigPng);
    expect(opened).toMatchObject({ width: W, height: H });

    // A rectangle over most of the picture: a long job for the CPU engine.
    await page.getByTestId('tool-rect').click();
    await drag(page, [
      { x: 150, y: 150 },
      { x: 2000, y: 1500 },
      { x: W - 150, y: H - 150 },
    ]);
    await waitForUndoCount(page, 1);
    const mask = await maskState(page);
    expect(mask.undo).toEqual(['history.rect']);
    expect(mask.painted).toBe((W - 300) * (H - 300));

    await recordJobStates(page);
    await page.getByTestId('erase').click();
    await page.getByTestId('job-toast').waitFor({ state: 'visible' });
    // Running in the engine (the host gave it an id), not merely requested.
    await page.waitForFunction(() => {
      const job = (globalThis as HookGlobal).__adstudioTest!.editor.session.get().job;
      return !!job && job.jobId !== null && job.phase === 'running';
    });
    await snap(page, 'cancel-01-running');

    const cancelledAt = Date.now();
    await page.getByTestId('job-cancel').click();
    await page.getByTestId('job-toast').waitFor({ state: 'hidden', timeout: 15_000 });
    const stopMs = Date.now() - cancelledAt;
    // "Erase cancelled" (an info notice, not an error), and no result to compare.
    await page.getByTestId('notice-info').first().waitFor();
    expect(await page.getByTestId('notice-error').count()).toBe(0);
    expect(await page.getByTestId('compare-bar').count()).toBe(0);
    const { states } = await jobStates(page);
    expect(states.some((s) => s.phase === 'cancelling')).toBe(true);
    expect(states.every((s) => s.progress < 1)).toBe(true);
    expect(stopMs).toBeLessThan(10_000);
    await snap(page, 'cancel-02-cancelled');

    // A late result must not sneak in after the cancel: give it the time a slow engine would take.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await imageAsset(page)).toBe(opened.asset);
    expect(await maskState(page)).toEqual(mask);
    expect(await page.getByTestId('compare-bar').count()).toBe(0);
    // Ready to try again.
    expect(await page.getByTestId('erase').isEnabled()).toBe(true);
  });
});
