import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { invokeChannels } from '../../../../../preload/contract/index.js';
import { dispatch } from '../../../../../main/core/rpc/dispatch.js';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import { fakeDialogs } from '../support/fake-dialogs.js';
import { meanFillTestEngine } from '../support/mean-fill-test-engine.js';
import { gradientImage } from '../support/test-images.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

async function setup(dialogs?: ReturnType<typeof fakeDialogs>) {
  const dir = await tempDir();
  const paths = resolveServicePaths(join(dir, 'data'), join(dir, 'projects'));
  const services = await createServices({
    mode: dialogs ? 'electron' : 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths,
    inpaintEngine: meanFillTestEngine(),
    ...(dialogs ? { dialogs: dialogs.dialogs } : { downloadUrl: (p: string) => `http://127.0.0.1:1/download?f=${encodeURIComponent(p)}` }),
  });
  return { dir, paths, services, h: services.handlers };
}

/** What the ad editor sends: the ad it drew, encoded in the browser. */
const drawn = (width: number, height: number, format: 'png' | 'jpeg' | 'webp') => gradientImage(width, height, format);

describe('exportRendered through createServices', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('writes the %s bytes as they are into exportsDir, with a download URL', async (format) => {
    const { paths, services, h } = await setup();
    try {
      const bytes = await drawn(1080, 1350, format);
      const out = invokeChannels.exportRendered.response.parse(await h.exportRendered({ bytes, format, width: 1080, height: 1350, name: '가을 세일 광고' }));
      const ext = format === 'jpeg' ? 'jpg' : format;
      expect(out).toEqual({ path: join(paths.exportsDir, `가을 세일 광고.${ext}`), downloadUrl: expect.stringContaining('download?f=') });
      expect(new Uint8Array(await readFile(out!.path))).toEqual(bytes);
      // A second export never overwrites the first.
      const again = await h.exportRendered({ bytes, format, width: 1080, height: 1350, name: '가을 세일 광고' });
      expect(again!.path).toBe(join(paths.exportsDir, `가을 세일 광고 (2).${ext}`));
    } finally {
      await services.dispose();
    }
  });

  it('refuses bytes of another format, another size, or damaged bytes, and writes nothing', async () => {
    const { paths, services, h } = await setup();
    try {
      const png = await drawn(1200, 628, 'png');
      await expect(h.exportRendered({ bytes: await drawn(1200, 628, 'jpeg'), format: 'png', width: 1200, height: 628 })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/is JPEG but PNG was asked for/),
      });
      await expect(h.exportRendered({ bytes: png, format: 'png', width: 1080, height: 1080 })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/is 1200×628 but 1080×1080 was asked for/),
      });
      await expect(h.exportRendered({ bytes: png.slice(0, Math.floor(png.length * 0.6)), format: 'png', width: 1200, height: 628 })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/damaged PNG|not a readable PNG/),
      });
      await expect(h.exportRendered({ bytes: new TextEncoder().encode('<html>not an image</html>'), format: 'webp', width: 10, height: 10 })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/not a readable WebP/),
      });
      expect(await readdir(paths.exportsDir).catch(() => [])).toEqual([]);
    } finally {
      await services.dispose();
    }
  });

  it('in the desktop app asks where to save (cancel = null, nothing written) and writes the chosen file atomically', async () => {
    const dir = await tempDir();
    const target = join(dir, 'chosen', 'ad.webp');
    const dialogs = fakeDialogs({ saveExport: [null, target] });
    const { services, h } = await setup(dialogs);
    try {
      await mkdir(join(dir, 'chosen'));
      const bytes = await drawn(1080, 1920, 'webp');
      expect(await h.exportRendered({ bytes, format: 'webp', width: 1080, height: 1920, name: 'story' })).toBeNull();
      expect(await h.exportRendered({ bytes, format: 'webp', width: 1080, height: 1920, name: 'story' })).toEqual({ path: target });
      expect(dialogs.calls.map((c) => c.method)).toEqual(['saveExport', 'saveExport']);
      expect(String(dialogs.calls[0]!.args[0]).endsWith('story.webp')).toBe(true);
      expect(await readdir(join(dir, 'chosen'))).toEqual(['ad.webp']);
      const meta = await sharp(target).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1080, 1920]);
      // A bad buffer is refused before the dialog opens.
      await expect(h.exportRendered({ bytes, format: 'png', width: 1080, height: 1920 })).rejects.toMatchObject({ code: 'bad-request' });
      expect(dialogs.calls).toHaveLength(2);
    } finally {
      await services.dispose();
    }
  });

  it('answers through the dispatcher as the transports call it: schema checks, then {ok:false} with the reason', async () => {
    const { services, h } = await setup();
    try {
      const bytes = await drawn(64, 64, 'png');
      const ok = await dispatch(h, 'exportRendered', { bytes, format: 'png', width: 64, height: 64 });
      expect(ok).toMatchObject({ ok: true, value: { path: expect.stringMatching(/ad\.png$/) } });
      const wrong = await dispatch(h, 'exportRendered', { bytes, format: 'png', width: 65, height: 64 });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/64×64 but 65×64/) } });
      const invalid = await dispatch(h, 'exportRendered', { bytes: 'not bytes', format: 'png', width: 64, height: 64 });
      expect(invalid).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    } finally {
      await services.dispose();
    }
  });
});
