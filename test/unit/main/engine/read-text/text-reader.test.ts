import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { createTextReader } from '../../../../../main/engine/read-text/index.js';
import { editDistance, renderLine, renderLines, type LineSpec } from './render-line.js';

// Real Tesseract (tesseract.js 7, wasm) in a real worker thread, reading the installed Korean and
// English data; one reader shared by the tests that only read (started once, ~1 s).
const reader = createTextReader();
afterAll(() => reader.close());

const expectCopy = (actual: string | null | undefined, expected: string) => {
  expect(actual, `read ${JSON.stringify(actual)} for ${JSON.stringify(expected)}`).toEqual(expect.any(String));
  expect(editDistance(actual!, expected), `read ${JSON.stringify(actual)} for ${JSON.stringify(expected)}`).toBeLessThanOrEqual(0.2);
};

describe('createTextReader: reading copy', () => {
  it('reads a clear 40 px Korean line and an English one', async () => {
    const { image, regions } = await renderLines([
      { text: '오늘만 특가 50% 할인', size: 40, bold: true },
      { text: 'FRESH SALE', size: 40, bold: true },
    ]);
    const texts = await reader.read({ image, regions });
    expect(texts).toHaveLength(2);
    expectCopy(texts[0], '오늘만 특가 50% 할인');
    expectCopy(texts[1], 'FRESH SALE');
  });

  it.each<[string, LineSpec]>([
    ['white on red', { text: '신선한 과일 SALE', size: 36, bold: true, fill: '#ffffff', background: '#c0392b' }],
    ['yellow on blue', { text: '오늘만 특가', size: 48, bold: true, fill: '#ffd966', background: '#1b2440' }],
    ['small print, upscaled', { text: '원산지: 대구 · 신선한 과일', size: 15, fill: '#444444', background: '#f3ead8' }],
    ['large headline, downscaled', { text: '가을 세일', size: 110, bold: true, fill: '#5b1a1a', background: '#fbf7f0' }],
    ['outlined', { text: 'HOT DEAL 핫딜', size: 54, bold: true, fill: '#ffe000', background: '#2d6cdf', extra: 'stroke="#d01010" stroke-width="4" paint-order="stroke"' }],
  ])('reads %s copy', async (_what, spec) => {
    const { image, region } = await renderLine(spec);
    const [text] = await reader.read({ image, regions: [region] });
    expectCopy(text, spec.text.replace('·', 'ㆍ'));
  });

  it('deskews a rotated line along its angle', async () => {
    for (const angle of [-25, 14]) {
      const { image, region } = await renderLine({ text: 'FRESH SALE 할인', size: 40, bold: true, angle, height: 420 });
      expect(region.angle).toBe(angle);
      const [text] = await reader.read({ image, regions: [region] });
      expectCopy(text, 'FRESH SALE 할인');
    }
  });

  it('reads nothing (null) where there is no copy, and an empty list for no regions', async () => {
    const { image } = await renderLine({ text: 'x', size: 40, width: 400, height: 200 });
    // A flat white patch away from the "x".
    const empty = { polygon: [[200, 20], [380, 20], [380, 70], [200, 70]] as [number, number][], lineHeight: 40, angle: 0 };
    // Glyphs a few pixels tall are not guessed at.
    const tiny = { polygon: [[40, 90], [120, 90], [120, 94], [40, 94]] as [number, number][], lineHeight: 4, angle: 0 };
    expect(await reader.read({ image, regions: [empty, tiny] })).toEqual([null, null]);
    expect(await reader.read({ image, regions: [] })).toEqual([]);
  });

  it('reports monotonic progress from start to 1', async () => {
    const { image, regions } = await renderLines([
      { text: '첫 번째 줄', size: 32 },
      { text: 'Second line', size: 32 },
      { text: '세 번째 줄 3', size: 32 },
    ]);
    const seen: number[] = [];
    await reader.read({ image, regions, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]!).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toBe(1);
  });

  it('refuses a malformed image or region with a clear error', async () => {
    const image = { data: new Uint8Array(10), width: 10, height: 10, channels: 3 as const };
    await expect(reader.read({ image, regions: [] })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/malformed/) });
    const ok = { data: new Uint8Array(300), width: 10, height: 10, channels: 3 as const };
    await expect(reader.read({ image: ok, regions: [{ polygon: [[0, 0]], lineHeight: 10, angle: 0 }] })).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe('createTextReader: lifecycle', () => {
  it('does not block the calling thread while it starts and reads', async () => {
    const own = createTextReader();
    try {
      const { image, regions } = await renderLines(Array.from({ length: 4 }, (_, i) => ({ text: `신선한 과일을 엄선하여 준비했습니다 ${i}`, size: 40 })));
      let worst = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 10);
      // Starting Tesseract (wasm, ~15 MB of traineddata) and reading four long lines takes seconds of CPU.
      const started = performance.now();
      const before = performance.eventLoopUtilization();
      await own.read({ image, regions });
      const busy = performance.eventLoopUtilization(before).utilization;
      const took = performance.now() - started;
      clearInterval(timer);
      expect(took).toBeGreaterThan(300);
      // This thread was mostly idle (~0.1; Tesseract here would make it ~1) and its timer kept
      // firing: no long synchronous stretch (bounds generous for a loaded machine).
      expect(busy).toBeLessThan(0.4);
      expect(worst).toBeLessThan(300);
    } finally {
      await own.close();
    }
  });

  it('cancels mid-run quickly with AppError("cancelled") and reads again afterwards', async () => {
    const own = createTextReader();
    try {
      const { image, regions } = await renderLines(Array.from({ length: 10 }, (_, i) => ({ text: `오늘만 특가 ${i + 1}0% 할인 행사 FRESH SALE`, size: 36 })));
      await own.read({ image, regions: regions.slice(0, 1) }); // warm: the cancel below lands mid-recognition
      const controller = new AbortController();
      let abortedAt = 0;
      let progressCount = 0;
      const run = own.read({
        image,
        regions,
        signal: controller.signal,
        onProgress: (p, message) => {
          progressCount++;
          if (!abortedAt && message === 'reading text' && p > 0.15) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      let progressAfterAbort = 0;
      const error = await run.catch((e: unknown) => e);
      const stoppedIn = performance.now() - abortedAt;
      expect(abortedAt).toBeGreaterThan(0);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'cancelled' });
      expect(stoppedIn).toBeLessThan(100);
      // And the work really stopped: no more progress while the remaining lines would be read.
      const seen = progressCount;
      await new Promise((r) => setTimeout(r, 400));
      progressAfterAbort = progressCount - seen;
      expect(progressAfterAbort).toBe(0);

      // Usable afterwards (a fresh Tesseract thread if the old one was stopped mid-recognition).
      const again = await own.read({ image, regions: regions.slice(2, 3) });
      expectCopy(again[0], '오늘만 특가 30% 할인 행사 FRESH SALE');

      // Already cancelled: rejected at once, nothing started.
      const before = new AbortController();
      before.abort();
      await expect(own.read({ image, regions, signal: before.signal })).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await own.close();
    }
  });

  it('close() ends a read in flight as cancelled and refuses later reads', async () => {
    const own = createTextReader();
    const { image, regions } = await renderLines([{ text: '닫기 전에 읽는 줄', size: 40 }]);
    let closing: Promise<void> | undefined;
    const run = own.read({ image, regions, onProgress: () => (closing ??= own.close()) });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(closing).toBeDefined();
    await closing;
    await expect(own.read({ image, regions })).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/closed/) });
  });

  it('reads only local data: a data folder without it fails clearly instead of downloading', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'adstudio-no-tessdata-'));
    const own = createTextReader({ dataDirs: { kor: empty } });
    try {
      const { image, regions } = await renderLines([{ text: 'FRESH', size: 40 }]);
      await expect(own.read({ image, regions })).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/Korean text data is missing: .*kor\.traineddata\.gz/) });
    } finally {
      await own.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
