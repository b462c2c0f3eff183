import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFailures,
  chooseImageFile,
  errorNoticeText,
  fixture,
  imageAsset,
  maskState,
  openEditorPage,
  openImage,
  snap,
  startHarness,
  waitForUndoCount,
  type EditorPage,
  type Harness,
  type OpenedImage,
} from './support/editor-page.js';
import type { HookGlobal } from './support/hook-types.js';

/** One PNG chunk: length, type, data, CRC over type + data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid, tiny PNG file whose header claims `w`×`h` RGB pixels (a decompression bomb's shape). */
function pngClaiming(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  // First rows of zeros; a real bomb would go on for gigabytes.
  const idat = deflateSync(Buffer.alloc(64 * (w * 3 + 1)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** An 8-bit greyscale PNG (a mask file as a user would make one). */
function grayPng(w: number, h: number, value: (x: number, y: number) => number): Sharp {
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = value(x, y);
  return sharp(data, { raw: { width: w, height: h, channels: 1 } }).png();
}

describe('bad input gets a clear message and the editor stays usable', () => {
  let h: Harness;
  let ui: EditorPage;
  captureFailures('bad-input', () => ui?.page);
  let opened: OpenedImage;
  const file = (name: string) => join(h.work.files, name);

  beforeAll(async () => {
    h = await startHarness('bad-input');
    const original = await readFile(fixture('ad-apples-korean-text.png'));
    await writeFile(file('empty.png'), Buffer.alloc(0));
    await writeFile(file('truncated.png'), original.subarray(0, Math.floor(original.length / 2)));
    await writeFile(file('animation-really.png'), await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).gif().toBuffer());
    await writeFile(file('notes-really.png'), '특가 세일 — this is a text file, not a picture\n');
    await writeFile(file('bomb-30000x30000.png'), pngClaiming(30_000, 30_000));
    await grayPng(100, 80, () => 255).toFile(file('mask-100x80.png'));
    // White 200×60 over the headline, black elsewhere.
    await grayPng(1024, 1072, (x, y) => (x >= 410 && x < 610 && y >= 70 && y < 130 ? 255 : 0)).toFile(file('mask-right-size.png'));
    ui = await openEditorPage(h.browser, h.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Choose a file, expect an error notice, check we are still on the welcome screen, dismiss it. */
  async function rejectedImage(name: string): Promise<string> {
    const { page } = ui;
    await chooseImageFile(page, file(name));
    const text = await errorNoticeText(page);
    expect(text).toContain('이미지를 열지 못했습니다'); // "Could not open the image"
    expect(await page.getByTestId('welcome').isVisible()).toBe(true);
    expect(await page.evaluate(() => (globalThis as HookGlobal).__adstudioTest!.editor.session.get().hasDocument)).toBe(false);
    await snap(page, `bad-input-${name.replace(/\.png$/, '')}`);
    await page.getByTestId('notice-error').getByRole('button').click();
    await page.getByTestId('notice-error').waitFor({ state: 'detached' });
    return text;
  }

  /** The localised explanation of a 'bad-image' error: "cannot be read; damaged or unsupported format". */
  const UNREADABLE = '이미지를 읽을 수 없습니다';

  it('a 0-byte file', async () => {
    const text = await rejectedImage('empty.png');
    expect(text).toContain(UNREADABLE);
    expect(text).toContain('0 bytes');
  });

  it('a truncated PNG', async () => {
    expect(await rejectedImage('truncated.png')).toContain(UNREADABLE);
  });

  it('a GIF and a text file named .png', async () => {
    const gif = await rejectedImage('animation-really.png');
    expect(gif).toContain(UNREADABLE);
    expect(gif).toMatch(/gif/i); // names what the file really is
    expect(await rejectedImage('notes-really.png')).toContain(UNREADABLE);
  });

  it('a PNG whose header claims 30000×30000 is refused without decoding, and the tab lives on', async () => {
    const text = await rejectedImage('bomb-30000x30000.png');
    expect(text).toContain('이미지가 너무 큽니다'); // "The image is too large."
    expect(text).toContain('30000×30000');
    expect(ui.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    expect(h.editor.proc.exitCode).toBeNull();
  });

  it('after all that, a good image opens', async () => {
    opened = await openImage(ui.page, fixture('ad-apples-korean-text.png'));
    expect(opened).toMatchObject({ width: 1024, height: 1072 });
  });

  it('a mask of another size is refused with both sizes named; the mask is untouched', async () => {
    const { page } = ui;
    await page.getByTestId('import-mask-input').setInputFiles(file('mask-100x80.png'));
    const text = await errorNoticeText(page);
    expect(text).toContain('100×80');
    expect(text).toContain('1024×1072');
    expect(await maskState(page)).toMatchObject({ asset: null, painted: 0, undo: [] });
    await snap(page, 'bad-input-mask-size');
    await page.getByTestId('notice-error').getByRole('button').click();
  });

  it('a project from a newer adstudio says to update; the open document stays', async () => {
    const { page } = ui;
    const now = new Date().toISOString();
    const manifest = { format: 'adstudio-project', version: 1, appVersion: '99.0.0', savedAt: now };
    const document = { format: 'adstudio', version: 999, id: 'doc-from-the-future', title: 'from the future', width: 10, height: 10, records: {}, createdAt: now, modifiedAt: now };
    await writeFile(
      join(h.work.projectsDir, 'from-the-future.adstudio'),
      zipSync({ 'manifest.json': strToU8(JSON.stringify(manifest)), 'document.json': strToU8(JSON.stringify(document)) }),
    );
    await page.getByTestId('open-project').click();
    await page.getByTestId('open-project-dialog').waitFor();
    await page.getByTestId('project-list').getByText('from-the-future').click();
    await page.getByTestId('open-project-confirm').click();
    const text = await errorNoticeText(page);
    expect(text).toContain('프로젝트를 열지 못했습니다'); // "Could not open the project"
    expect(text).toContain('더 새로운 버전'); // "made with a newer adstudio"
    expect(text).toMatch(/newer adstudio \(format 999\)/);
    expect(await imageAsset(page)).toBe(opened.asset);
    await snap(page, 'bad-input-newer-project');
    await page.getByTestId('notice-error').getByRole('button').click();
  });

  it('and the editor still works: a mask of the right size imports as one step', async () => {
    const { page } = ui;
    await page.getByTestId('import-mask-input').setInputFiles(file('mask-right-size.png'));
    await waitForUndoCount(page, 1);
    await page.getByTestId('notice-success').first().waitFor();
    // The imported pixels are loaded into the mask being edited.
    await page.waitForFunction(() => {
      const ed = (globalThis as HookGlobal).__adstudioTest!.editor;
      return ed.mask.surface() !== null && !ed.session.get().maskEmpty;
    });
    const m = await maskState(page);
    expect(m.undo).toEqual(['history.importMask']);
    expect(m.painted).toBe(200 * 60);
    expect(ui.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
