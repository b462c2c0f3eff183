import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_VERSION } from '../../../../../preload/contract/index.js';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { openProjectFile, saveProjectFile } from '../../../../../main/core/documents/project-file.js';
import { canMount, sysfsDir, useMountedFolders } from '../support/hostile-folders.js';
import { fixture, rectMask } from '../support/test-images.js';
import { imageRecord, makeDocument, maskRecord } from '../support/test-document.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const mounts = useMountedFolders();

/** A store with the product photo and a mask, and a document using both. */
async function project() {
  const dir = await tempDir();
  const store = new AssetStore(join(dir, 'assets-a'));
  const photo = await store.put(new Uint8Array(await readFile(fixture('product-banana.png'))), 'image');
  const mask = await store.put(await rectMask(800, 705, { x: 100, y: 100, w: 50, h: 60 }), 'mask');
  const doc = makeDocument(800, 705, [imageRecord('img', photo.hash, 800, 705), maskRecord('m', 'img', mask.hash, 800, 705)]);
  return { dir, store, photo, mask, doc };
}

async function writeZip(path: string, entries: Record<string, Uint8Array>) {
  await writeFile(path, zipSync(entries));
}
const manifest = (version = 1) => strToU8(JSON.stringify({ format: 'adstudio-project', version, appVersion: '9.9.9', savedAt: new Date().toISOString() }));

describe('project file round trip', () => {
  it('save → open on a fresh store gives the identical document and identical asset bytes', async () => {
    const { dir, store, photo, mask, doc } = await project();
    const path = join(dir, '가을 세일.adstudio');
    await saveProjectFile(path, doc, store, '0.1.0');

    const fresh = new AssetStore(join(dir, 'assets-b'));
    const opened = await openProjectFile(path, fresh);
    expect(opened.document).toEqual(doc);
    expect(opened.assets.map((a) => a.hash).sort()).toEqual([photo.hash, mask.hash].sort());
    expect(opened.assets.find((a) => a.hash === mask.hash)?.kind).toBe('mask');
    for (const h of [photo.hash, mask.hash]) expect(Buffer.from(await fresh.read(h)).equals(Buffer.from(await store.read(h)))).toBe(true);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['가을 세일.adstudio']));
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a zip with manifest, document and one entry per asset', async () => {
    const { dir, store, photo, mask, doc } = await project();
    const path = join(dir, 'p.adstudio');
    await saveProjectFile(path, doc, store, '0.1.0');
    const files = unzipSync(new Uint8Array(await readFile(path)));
    expect(Object.keys(files).sort()).toEqual(['assets/' + mask.hash + '.png', 'assets/' + photo.hash + '.png', 'document.json', 'manifest.json'].sort());
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toMatchObject({ format: 'adstudio-project', version: 1, appVersion: '0.1.0' });
  });

  it('refuses to save a document whose image is not in the store', async () => {
    const { dir, store } = await project();
    const broken = makeDocument(10, 10, [imageRecord('x', 'f'.repeat(64), 10, 10)]);
    await expect(saveProjectFile(join(dir, 'p.adstudio'), broken, store, '0.1.0')).rejects.toMatchObject({ code: 'not-found' });
    expect(await readdir(dir)).not.toContain('p.adstudio');
  });
});

describe('opening bad project files', () => {
  it('a project from a newer adstudio says to update (even if today\'s schema cannot read it)', async () => {
    const { dir } = await project();
    const path = join(dir, 'future.adstudio');
    const future = { format: 'adstudio', version: DOCUMENT_VERSION + 1, records: { a: { type: 'hologram' } } };
    await writeZip(path, { 'manifest.json': manifest(), 'document.json': strToU8(JSON.stringify(future)) });
    await expect(openProjectFile(path, new AssetStore(join(dir, 's')))).rejects.toMatchObject({
      code: 'newer-version',
      message: `This project was made by a newer adstudio (format ${DOCUMENT_VERSION + 1}); update adstudio to open it`,
    });
  });

  it('a newer container format is also newer-version', async () => {
    const { dir } = await project();
    const path = join(dir, 'future2.adstudio');
    await writeZip(path, { 'manifest.json': manifest(7), 'document.json': strToU8('{}') });
    await expect(openProjectFile(path, new AssetStore(join(dir, 's')))).rejects.toMatchObject({ code: 'newer-version', message: expect.stringContaining('format 7') });
  });

  it.each([
    ['not a zip', () => strToU8('hello, I am a text file'), /not a zip archive/],
    ['a zip without a manifest', () => zipSync({ 'document.json': strToU8('{}') }), /no manifest\.json/],
    ['a zip without a document', () => zipSync({ 'manifest.json': manifest() }), /no document\.json/],
    ['a foreign zip', () => zipSync({ 'manifest.json': strToU8('{"format":"other"}'), 'document.json': strToU8('{}') }), /does not describe an adstudio project/],
    ['broken JSON', () => zipSync({ 'manifest.json': manifest(), 'document.json': strToU8('{"format":') }), /document\.json is not valid JSON/],
    ['a schema failure', () => zipSync({ 'manifest.json': manifest(), 'document.json': strToU8(JSON.stringify({ format: 'adstudio', version: 1 })) }), /document\.json is invalid/],
  ])('%s is bad-project', async (_label, make, message) => {
    const { dir } = await project();
    const path = join(dir, 'bad.adstudio');
    await writeFile(path, make());
    await expect(openProjectFile(path, new AssetStore(join(dir, 's')))).rejects.toMatchObject({ code: 'bad-project', message: expect.stringMatching(message) });
  });

  it('an empty or missing file', async () => {
    const { dir } = await project();
    await writeFile(join(dir, 'empty.adstudio'), '');
    const store = new AssetStore(join(dir, 's'));
    await expect(openProjectFile(join(dir, 'empty.adstudio'), store)).rejects.toMatchObject({ code: 'bad-project', message: expect.stringContaining('empty') });
    await expect(openProjectFile(join(dir, 'nope.adstudio'), store)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a missing or tampered asset is bad-project and nothing wrong enters the store', async () => {
    const { dir, store, photo, doc } = await project();
    const path = join(dir, 'p.adstudio');
    await saveProjectFile(path, doc, store, '0.1.0');
    const files = unzipSync(new Uint8Array(await readFile(path)));

    const tampered = { ...files };
    const photoEntry = `assets/${photo.hash}.png`;
    tampered[photoEntry] = new Uint8Array(await readFile(fixture('ad-apples-korean-text.png')));
    await writeZip(join(dir, 'tampered.adstudio'), tampered);
    const fresh = new AssetStore(join(dir, 'fresh'));
    await expect(openProjectFile(join(dir, 'tampered.adstudio'), fresh)).rejects.toMatchObject({ code: 'bad-project', message: expect.stringContaining('damaged') });

    const missing = { ...files };
    delete missing[photoEntry];
    await writeZip(join(dir, 'missing.adstudio'), missing);
    await expect(openProjectFile(join(dir, 'missing.adstudio'), fresh)).rejects.toMatchObject({ code: 'bad-project', message: expect.stringContaining('missing') });
    expect(await fresh.info(photo.hash)).toBeNull();
  });

  it('a zip bomb entry is refused from its declared size', async () => {
    const { dir } = await project();
    const path = join(dir, 'bomb.adstudio');
    await writeFile(path, zipSync({ 'manifest.json': manifest(), 'document.json': [new Uint8Array(65 * 2 ** 20).fill(32), { level: 9 }] }));
    expect((await readFile(path)).byteLength).toBeLessThan(2 ** 20);
    await expect(openProjectFile(path, new AssetStore(join(dir, 's')))).rejects.toMatchObject({ code: 'bad-project', message: expect.stringContaining('too large') });
  });
});

describe('saving where writes fail', () => {
  // Proves: a folder refusing new files (sysfs, even for root) gives an io error with the folder.
  it.skipIf(!sysfsDir)('a folder that refuses writes', async () => {
    const { store, doc } = await project();
    await expect(saveProjectFile(join(sysfsDir!, 'p.adstudio'), doc, store, '0.1.0')).rejects.toMatchObject({
      code: 'io',
      message: expect.stringMatching(/^Cannot write to \/sys: it is read-only/),
    });
  });

  // Proves: a read-only file system gives io "read-only" and no temp file is left.
  it.skipIf(!canMount)('a read-only file system', async () => {
    const { store, doc } = await project();
    const ro = (await mounts.readOnly())!;
    await expect(saveProjectFile(join(ro, 'p.adstudio'), doc, store, '0.1.0')).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('read-only') });
    expect(await readdir(ro)).toEqual([]);
  });

  // Proves: a full disk gives io "disk is full", the temp file is removed, the old project survives.
  it.skipIf(!canMount)('a full disk keeps the previous save', async () => {
    const { store, doc } = await project();
    const tiny = (await mounts.tiny())!;
    await writeFile(join(tiny, 'p.adstudio'), 'previous save');
    await expect(saveProjectFile(join(tiny, 'p.adstudio'), doc, store, '0.1.0')).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('disk is full') });
    expect(await readdir(tiny)).toEqual(['p.adstudio']);
    expect(await readFile(join(tiny, 'p.adstudio'), 'utf8')).toBe('previous save');
  });
});
