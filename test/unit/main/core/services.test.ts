import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOKE_NAMES, eventChannels, invokeChannels, type InvokeName, type ResponseOf } from '../../../../preload/contract/index.js';
import { resolveServicePaths } from '../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../main/core/services.js';
import type { Services, ServicesOptions } from '../../../../main/core/services-types.js';
import { eventLog } from './support/event-log.js';
import { fakeDialogs } from './support/fake-dialogs.js';
import { meanFillTestEngine } from './support/mean-fill-test-engine.js';
import { fixture, gradientImage, rectMask } from './support/test-images.js';
import { imageRecord, makeDocument, maskRecord } from './support/test-document.js';
import { useTempDirs } from './support/temp-dir.js';

const tempDir = useTempDirs();

async function start(over: Partial<ServicesOptions> = {}, base?: string) {
  const dir = base ?? (await tempDir());
  const paths = resolveServicePaths(join(dir, 'data'), join(dir, 'projects'));
  const engine = meanFillTestEngine();
  const services = await createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths,
    inpaintEngine: engine,
    downloadUrl: (p) => `http://127.0.0.1:9/files?p=${encodeURIComponent(p)}`,
    ...over,
  });
  const log = eventLog();
  services.onEvent(log.sink);
  return { dir, paths, engine, services, h: services.handlers, log };
}

/** Responses must satisfy the contract's own response schema. */
function valid<K extends InvokeName>(name: K, value: unknown): ResponseOf<K> {
  return invokeChannels[name].response.parse(value) as ResponseOf<K>;
}

async function photoDoc(services: Services, title = '가을 세일 광고') {
  const photo = await services.handlers.putAsset({ kind: 'image', bytes: new Uint8Array(await readFile(fixture('product-banana.png'))), name: 'product-banana.png' });
  const mask = await services.handlers.putAsset({ kind: 'mask', bytes: await rectMask(800, 705, { x: 300, y: 300, w: 40, h: 30 }) });
  const doc = makeDocument(800, 705, [imageRecord('img', photo.hash, 800, 705), maskRecord('m', 'img', mask.hash, 800, 705)], { title });
  return { photo, mask, doc };
}

describe('createServices', () => {
  it('implements every invoke channel of the contract', async () => {
    const { h } = await start();
    expect(Object.keys(h).sort()).toEqual([...INVOKE_NAMES].sort());
  });

  it('app info, settings and methods', async () => {
    const { h, paths } = await start();
    expect(valid('getAppInfo', await h.getAppInfo(undefined))).toEqual({
      version: '0.1.0-test',
      mode: 'browser',
      osLocale: 'ko-KR',
      platform: process.platform,
      projectsDir: paths.projectsDir,
    });
    expect(valid('getSettings', await h.getSettings(undefined))).toMatchObject({ language: 'system', inpaintMethod: 'test-mean' });
    expect(await h.updateSettings({ language: 'en', inpaintMethod: 'test-other' })).toMatchObject({ language: 'en', inpaintMethod: 'test-other' });
    await expect(h.updateSettings({ inpaintMethod: 'nope' })).rejects.toMatchObject({ code: 'bad-request' });
    expect(valid('listInpaintMethods', await h.listInpaintMethods(undefined))).toEqual([
      { id: 'test-mean', label: 'Mean fill (test double)', isDefault: true },
      { id: 'test-other', label: 'Other (test double)', isDefault: false },
    ]);
  });

  it('assets: put, info, file', async () => {
    const { h, services } = await start();
    const info = valid('putAsset', await h.putAsset({ kind: 'image', bytes: await gradientImage(30, 20) }));
    expect(valid('getAssetInfo', await h.getAssetInfo({ hash: info.hash }))).toEqual(info);
    expect((await services.assetFile(info.hash))?.mime).toBe('image/png');
    await expect(h.getAssetInfo({ hash: '1'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });
    await expect(h.putAsset({ kind: 'image', bytes: new Uint8Array(10) })).rejects.toMatchObject({ code: 'bad-image' });
  });

  it('erases through startInpaint with the method from settings and publishes events', async () => {
    const { h, services, log } = await start();
    const { photo, mask } = await photoDoc(services);
    await h.updateSettings({ inpaintMethod: 'test-other' });
    const { jobId } = valid('startInpaint', await h.startInpaint({ image: photo.hash, mask: mask.hash }));
    const end = eventChannels.jobFinished.parse(await log.waitFinished(jobId));
    expect(end).toMatchObject({ status: 'done', madeBy: 'inpaint:test-other', result: { width: 800, height: 705 } });
    for (const e of log.events) eventChannels[e.event].parse(e.payload);
    expect(valid('cancelJob', await h.cancelJob({ jobId }))).toEqual({ cancelled: false });
  });

  it('unsubscribed or throwing listeners do not break event delivery', async () => {
    const { h, services, log } = await start();
    const { photo, mask } = await photoDoc(services);
    const other: string[] = [];
    const off = services.onEvent(() => other.push('x'));
    services.onEvent(() => {
      throw new Error('listener bug');
    });
    off();
    const { jobId } = await h.startInpaint({ image: photo.hash, mask: mask.hash });
    expect((await log.waitFinished(jobId)).status).toBe('done');
    expect(other).toEqual([]);
  });

  describe('browser mode (no native dialogs)', () => {
    it('has no native image dialog', async () => {
      const { h } = await start();
      await expect(h.openImageDialog({ kind: 'image' })).rejects.toMatchObject({ code: 'unsupported' });
    });

    it('saves into the projects folder: same project overwrites its file, another gets a fresh name', async () => {
      const { h, services, paths } = await start();
      const { doc } = await photoDoc(services);
      const first = valid('saveProject', await h.saveProject({ document: doc }));
      expect(first).toEqual({ path: join(paths.projectsDir, '가을 세일 광고.adstudio') });
      expect(await h.saveProject({ document: { ...doc, modifiedAt: 'later' } })).toEqual(first);
      const other = await h.saveProject({ document: { ...doc, id: 'doc-2' } });
      expect(other).toEqual({ path: join(paths.projectsDir, '가을 세일 광고 (2).adstudio') });
      expect(await h.saveProject({ document: doc, name: '../escape/배너' })).toEqual({ path: join(paths.projectsDir, '_escape_배너.adstudio') });
      expect(await h.saveProject({ document: doc, path: first!.path })).toEqual(first);
    });

    it('refuses paths outside the projects folder', async () => {
      const { h, services, dir, paths } = await start();
      const { doc } = await photoDoc(services);
      await expect(h.saveProject({ document: doc, path: join(dir, 'elsewhere.adstudio') })).rejects.toMatchObject({ code: 'path-denied' });
      await expect(h.saveProject({ document: doc, path: `${paths.projectsDir}/../data/settings.json` })).rejects.toMatchObject({ code: 'path-denied' });
      await expect(h.openProject({ path: join(dir, 'data', 'settings.json') })).rejects.toMatchObject({ code: 'path-denied' });
      await expect(h.openProject({})).rejects.toMatchObject({ code: 'bad-request' });
    });

    it('lists projects newest first and opens them on a fresh data folder', async () => {
      const { h, services, dir, paths } = await start();
      const { doc, photo } = await photoDoc(services);
      const a = (await h.saveProject({ document: doc, name: 'older' }))!.path;
      const b = (await h.saveProject({ document: { ...doc, id: 'doc-b' }, name: 'newer' }))!.path;
      await utimes(a, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      await writeFile(join(paths.projectsDir, 'notes.txt'), 'not a project');
      const list = valid('listProjects', await h.listProjects(undefined));
      expect(list.map((p) => [p.name, p.path])).toEqual([
        ['newer', b],
        ['older', a],
      ]);
      // Another data folder (another machine) with the same projects folder.
      const other = await start({}, dir);
      const opened = valid('openProject', await other.h.openProject({ path: a }));
      expect(opened).toMatchObject({ path: a, document: doc });
      expect(opened!.assets.map((x) => x.hash)).toContain(photo.hash);
    });

    it('exports image and mask for download', async () => {
      const { h, services, paths } = await start();
      const { doc, mask } = await photoDoc(services);
      const img = valid('exportImage', await h.exportImage({ document: doc, format: 'jpeg', quality: 80 }));
      expect(img).toEqual({ path: join(paths.exportsDir, '가을 세일 광고.jpg'), downloadUrl: expect.stringContaining('http://127.0.0.1:9/files?p=') });
      const m = valid('exportMask', await h.exportMask({ mask: mask.hash }));
      expect(m?.path).toBe(join(paths.exportsDir, 'mask.png'));
    });
  });

  describe('Electron mode (native dialogs)', () => {
    it('opens an image through the dialog; cancel is null', async () => {
      const { dialogs, calls } = fakeDialogs({ openImage: [fixture('ad-market-banana-price.png'), null] });
      const { h } = await start({ mode: 'electron', dialogs });
      const picked = valid('openImageDialog', await h.openImageDialog({ kind: 'image' }));
      expect(picked).toMatchObject({ name: 'ad-market-banana-price.png', asset: { width: 1024, height: 1024, kind: 'image' } });
      expect(await h.openImageDialog({ kind: 'image' })).toBeNull();
      expect(calls.map((c) => c.method)).toEqual(['openImage', 'openImage']);
    });

    it('Save asks where (starting in the projects folder); the chosen file can then be saved without asking', async () => {
      const dir = await tempDir();
      const chosen = join(dir, 'my-ad.adstudio');
      const { dialogs, calls } = fakeDialogs({ saveProject: [chosen, null] });
      const { h, services, paths } = await start({ mode: 'electron', dialogs });
      const { doc } = await photoDoc(services);
      expect(await h.saveProject({ document: doc })).toEqual({ path: chosen });
      expect(calls[0]).toEqual({ method: 'saveProject', args: [join(paths.projectsDir, '가을 세일 광고.adstudio')] });
      expect(await h.saveProject({ document: doc, path: chosen })).toEqual({ path: chosen });
      expect(calls).toHaveLength(1);
      // Save As always asks; cancelling is null.
      expect(await h.saveProject({ document: doc, path: chosen, saveAs: true })).toBeNull();
      expect(calls[1]).toEqual({ method: 'saveProject', args: [chosen] });
    });

    it('a path this run never saw chosen is confirmed through the dialog, not written blindly', async () => {
      const dir = await tempDir();
      const { dialogs, calls } = fakeDialogs({ saveProject: [null] });
      const { h, services } = await start({ mode: 'electron', dialogs });
      const { doc } = await photoDoc(services);
      expect(await h.saveProject({ document: doc, path: join(dir, 'recovered.adstudio') })).toBeNull();
      expect(calls).toEqual([{ method: 'saveProject', args: [join(dir, 'recovered.adstudio')] }]);
    });

    it('opens a project through the dialog and may save back to it', async () => {
      const dir = await tempDir();
      const target = join(dir, 'ad.adstudio');
      const { dialogs, calls } = fakeDialogs({ saveProject: [target], openProject: [target, null] });
      const first = await start({ mode: 'electron', dialogs });
      const { doc } = await photoDoc(first.services);
      await first.h.saveProject({ document: doc });

      const second = await start({ mode: 'electron', dialogs });
      const opened = await second.h.openProject({});
      expect(opened).toMatchObject({ path: target, document: doc });
      expect(calls.find((c) => c.method === 'openProject')?.args).toEqual([second.paths.projectsDir]);
      expect(await second.h.saveProject({ document: doc, path: target })).toEqual({ path: target });
      expect(await second.h.openProject({})).toBeNull();
      await expect(second.h.openProject({ path: join(dir, 'other.adstudio') })).rejects.toMatchObject({ code: 'path-denied' });
    });
  });

  it('autosave and recovery across a restart of the services', async () => {
    const dir = await tempDir();
    const first = await start({}, dir);
    const { doc } = await photoDoc(first.services);
    valid('autosave', await first.h.autosave({ sessionId: 'session-0001', document: doc, path: null, dirty: true }));
    expect(await first.h.listRecoverable(undefined)).toEqual([]);
    await first.services.dispose();

    const second = await start({}, dir);
    const list = valid('listRecoverable', await second.h.listRecoverable(undefined));
    expect(list).toEqual([{ sessionId: 'session-0001', title: doc.title, savedAt: expect.any(String), path: null }]);
    const rec = valid('recoverSession', await second.h.recoverSession({ sessionId: 'session-0001' }));
    expect(rec.document).toEqual(doc);
    expect(valid('discardRecovery', await second.h.discardRecovery({ sessionId: 'session-0001' }))).toEqual({});
    expect(await second.h.listRecoverable(undefined)).toEqual([]);
  });

  it('dispose cancels jobs and closes the engine once', async () => {
    const dir = await tempDir();
    const engine = meanFillTestEngine({ steps: 500, stepMs: 10 });
    const { h, services, log } = await start({ inpaintEngine: engine }, dir);
    const { photo, mask } = await photoDoc(services);
    const { jobId } = await h.startInpaint({ image: photo.hash, mask: mask.hash });
    await log.waitProgress(jobId);
    await Promise.all([services.dispose(), services.dispose()]);
    expect(log.finished(jobId)).toEqual([{ jobId, status: 'cancelled' }]);
    expect(engine.closed).toBe(true);
  });
});
