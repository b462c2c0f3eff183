import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { RecoveryStore } from '../../../../../main/core/documents/recovery.js';
import { gradientImage } from '../support/test-images.js';
import { imageRecord, makeDocument } from '../support/test-document.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

async function setup() {
  const dir = await tempDir();
  const store = new AssetStore(join(dir, 'assets'));
  const img = await store.put(await gradientImage(40, 30), 'image');
  const doc = makeDocument(40, 30, [imageRecord('img', img.hash, 40, 30)]);
  const logs: string[] = [];
  const open = () => new RecoveryStore(join(dir, 'recovery'), store, (m) => logs.push(m));
  return { dir, store, img, doc, logs, open };
}

describe('RecoveryStore', () => {
  it('does not offer sessions that are alive in this process; after a restart it offers the dirty ones', async () => {
    const { doc, open } = await setup();
    const running = open();
    await running.autosave('session-dirty', doc, '/p/ad.adstudio', true);
    await running.autosave('session-clean', { ...doc, title: 'saved one' }, null, false);
    expect(await running.listRecoverable()).toEqual([]);

    const afterRestart = open();
    const list = await afterRestart.listRecoverable();
    expect(list).toEqual([{ sessionId: 'session-dirty', title: '가을 세일 광고', savedAt: expect.any(String), path: '/p/ad.adstudio' }]);
  });

  it('recovers the document with its asset infos, then discard removes it', async () => {
    const { doc, img, open } = await setup();
    await open().autosave('session-1234', doc, null, true);
    const next = open();
    const recovered = await next.recover('session-1234');
    expect(recovered).toEqual({ document: doc, path: null, assets: [img] });
    await next.discard('session-1234');
    expect(await next.listRecoverable()).toEqual([]);
    await expect(next.recover('session-1234')).rejects.toMatchObject({ code: 'not-found' });
    await next.discard('session-1234'); // discarding twice is harmless
  });

  it('a later clean autosave (after Save) removes the session from the list', async () => {
    const { doc, open } = await setup();
    const a = open();
    await a.autosave('session-abcd', doc, null, true);
    await a.autosave('session-abcd', doc, '/p/x.adstudio', false);
    expect(await open().listRecoverable()).toEqual([]);
  });

  it('lists newest first', async () => {
    const { doc, open } = await setup();
    const a = open();
    await a.autosave('session-old1', { ...doc, title: 'old' }, null, true);
    await new Promise((r) => setTimeout(r, 15));
    await a.autosave('session-new1', { ...doc, title: 'new' }, null, true);
    expect((await open().listRecoverable()).map((s) => s.title)).toEqual(['new', 'old']);
  });

  it('says which image is missing when the asset store lost it', async () => {
    const { open } = await setup();
    const doc = makeDocument(10, 10, [imageRecord('img', 'e'.repeat(64), 10, 10)], { title: '여름 광고' });
    await open().autosave('session-miss', doc, null, true);
    await expect(open().recover('session-miss')).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('"여름 광고"') });
  });

  it('skips and logs a damaged recovery file instead of failing', async () => {
    const { dir, doc, open, logs } = await setup();
    await open().autosave('session-good', doc, null, true);
    await writeFile(join(dir, 'recovery', 'session-bad1.json'), '{"sessionId": "session-bad1", "document": {');
    await writeFile(join(dir, 'recovery', 'session-bad2.json'), JSON.stringify({ sessionId: 'session-bad2', dirty: true, savedAt: 'x', document: { nope: 1 } }));
    expect((await open().listRecoverable()).map((s) => s.sessionId)).toEqual(['session-good']);
    expect(logs.join('\n')).toContain('session-bad1.json');
    expect(logs.join('\n')).toContain('session-bad2.json');
    await expect(open().recover('session-bad1')).rejects.toMatchObject({ code: 'bad-project' });
  });

  it('refuses session ids that could escape the recovery folder', async () => {
    const { dir, doc, open } = await setup();
    await expect(open().autosave('../../../evil', doc, null, true)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(open().recover('..%2f..%2fx')).rejects.toMatchObject({ code: 'bad-request' });
    expect(await readdir(dir)).not.toContain('evil.json');
  });

  it('finds the unsaved work of an editor process killed with SIGKILL', async () => {
    const { dir, doc, open } = await setup();
    // One process (node + the tsx loader, not the tsx CLI, which would fork a grandchild).
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../support/autosave-then-hang.ts'), join(dir, 'recovery'), join(dir, 'assets'), 'session-killed', JSON.stringify(doc)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((ok, fail) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('saved') && ok());
        child.on('exit', (code) => fail(new Error(`child exited early (${code})`)));
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const list = await open().listRecoverable();
    expect(list).toEqual([{ sessionId: 'session-killed', title: doc.title, savedAt: expect.any(String), path: '/somewhere/ad.adstudio' }]);
    expect((await open().recover('session-killed')).document).toEqual(doc);
  });
});
