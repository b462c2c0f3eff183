import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { ExportWriter } from '../../../../../main/core/export/export-writer.js';
import { canMount, sysfsDir, useMountedFolders } from '../support/hostile-folders.js';
import { fakeDialogs } from '../support/fake-dialogs.js';
import { fixture, rawRgba, rectMask } from '../support/test-images.js';
import { imageRecord, makeDocument } from '../support/test-document.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const mounts = useMountedFolders();

async function setup(dialogAnswers?: Parameters<typeof fakeDialogs>[0]) {
  const dir = await tempDir();
  const store = new AssetStore(join(dir, 'assets'));
  const bytes = new Uint8Array(await readFile(fixture('ad-apples-korean-text.png')));
  const photo = await store.put(bytes, 'image');
  const doc = makeDocument(1024, 1072, [imageRecord('img', photo.hash, 1024, 1072)]);
  const fake = dialogAnswers ? fakeDialogs(dialogAnswers) : null;
  const paths = { projectsDir: join(dir, 'projects'), exportsDir: join(dir, 'exports') };
  const writer = new ExportWriter({
    store,
    ...paths,
    ...(fake ? { dialogs: fake.dialogs } : { downloadUrl: (p: string) => `http://127.0.0.1:1/download?f=${encodeURIComponent(p)}` }),
  });
  return { dir, store, bytes, doc, writer, calls: fake?.calls ?? [], ...paths };
}

describe('ExportWriter in browser mode (no dialogs)', () => {
  it('writes a full-resolution PNG identical to the photo into exportsDir, with a download URL', async () => {
    const { writer, doc, bytes, exportsDir } = await setup();
    const out = await writer.exportImage({ document: doc, format: 'png' });
    expect(out).toEqual({ path: join(exportsDir, '가을 세일 광고.png'), downloadUrl: expect.stringContaining(encodeURIComponent(join(exportsDir, '가을 세일 광고.png'))) });
    expect((await rawRgba(out!.path)).data.equals((await rawRgba(bytes)).data)).toBe(true);
  });

  it.each(['jpeg', 'webp'] as const)('writes %s decodable at the full document size', async (format) => {
    const { writer, doc } = await setup();
    const out = await writer.exportImage({ document: doc, format, quality: 85 });
    const meta = await sharp(out!.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual([format, 1024, 1072]);
    expect(out!.path.endsWith(format === 'jpeg' ? '.jpg' : '.webp')).toBe(true);
    const { data } = await sharp(out!.path).raw().toBuffer({ resolveWithObject: true });
    expect(data.length).toBe(1024 * 1072 * (meta.channels ?? 3));
  });

  it('never overwrites: a second export gets a new name; hostile names stay inside exportsDir', async () => {
    const { writer, doc, exportsDir } = await setup();
    const a = await writer.exportImage({ document: doc, format: 'png', name: 'banner' });
    const b = await writer.exportImage({ document: doc, format: 'png', name: 'banner' });
    const c = await writer.exportImage({ document: doc, format: 'png', name: '../../../tmp/evil' });
    expect([a!.path, b!.path]).toEqual([join(exportsDir, 'banner.png'), join(exportsDir, 'banner (2).png')]);
    expect(c!.path.startsWith(exportsDir + '/')).toBe(true);
    expect((await readdir(exportsDir)).sort()).toEqual(['_.._.._tmp_evil.png', 'banner (2).png', 'banner.png']);
  });

  it('exports a mask as an 8-bit single-channel PNG with 255 = fill', async () => {
    const { writer, store } = await setup();
    const mask = await store.put(await rectMask(30, 20, { x: 5, y: 5, w: 10, h: 4 }), 'mask');
    const out = await writer.exportMask({ mask: mask.hash, name: 'text mask' });
    const meta = await sharp(out!.path).metadata();
    expect([meta.format, meta.channels, meta.depth, meta.width, meta.height]).toEqual(['png', 1, 'uchar', 30, 20]);
    const { data } = await sharp(out!.path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(data.length).toBe(600);
    expect(data[5 * 30 + 5]).toBe(255);
    expect(data[0]).toBe(0);
    expect([...data].filter((v) => v === 255)).toHaveLength(40);
  });
});

describe('ExportWriter with native dialogs', () => {
  it('asks where to save, starting in the projects folder, and writes there', async () => {
    const dir = await tempDir();
    const target = join(dir, 'chosen.webp');
    const { writer, doc, calls, projectsDir } = await setup({ saveExport: [target] });
    expect(await writer.exportImage({ document: doc, format: 'webp' })).toEqual({ path: target });
    expect(calls).toEqual([{ method: 'saveExport', args: [join(projectsDir, '가을 세일 광고.webp'), 'webp'] }]);
    expect((await sharp(target).metadata()).width).toBe(1024);
  });

  it('returns null and writes nothing when the user cancels', async () => {
    const { writer, doc, dir } = await setup({ saveExport: [null] });
    expect(await writer.exportImage({ document: doc, format: 'png' })).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['assets']);
  });

  it('reports a missing layer image before asking anything', async () => {
    const { writer, calls } = await setup({ saveExport: ['/tmp/never.png'] });
    const doc = makeDocument(10, 10, [imageRecord('x', 'a'.repeat(64), 10, 10)]);
    await expect(writer.exportImage({ document: doc, format: 'png' })).rejects.toMatchObject({ code: 'not-found' });
    expect(calls).toEqual([]);
  });

  // Proves: exporting into a folder that refuses files (sysfs, root too) is a clear io error.
  it.skipIf(!sysfsDir)('a folder that refuses writes gives a clear io error', async () => {
    const { writer, doc } = await setup({ saveExport: [join(sysfsDir!, 'ad.png')] });
    await expect(writer.exportImage({ document: doc, format: 'png' })).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('read-only') });
  });

  // Proves: a read-only file system (EROFS) and a full disk (ENOSPC) leave no file or temp file.
  it.skipIf(!canMount)('read-only and full disks leave nothing behind', async () => {
    const ro = (await mounts.readOnly())!;
    const tiny = (await mounts.tiny())!;
    const { writer, doc } = await setup({ saveExport: [join(ro, 'ad.png'), join(tiny, 'ad.png')] });
    await expect(writer.exportImage({ document: doc, format: 'png' })).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('read-only') });
    await expect(writer.exportImage({ document: doc, format: 'png' })).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('disk is full') });
    expect(await readdir(ro)).toEqual([]);
    expect(await readdir(tiny)).toEqual([]);
  });
});
