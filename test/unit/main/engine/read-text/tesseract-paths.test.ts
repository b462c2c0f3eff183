import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir, tesseractWorkerPath, traineddataFile, unpacked } from '../../../../../main/engine/read-text/tesseract-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'adstudio-tess-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tesseract paths', () => {
  it('finds the installed worker script and the Korean and English LSTM data on disk', () => {
    expect(existsSync(tesseractWorkerPath())).toBe(true);
    expect(tesseractWorkerPath()).toMatch(/tesseract\.js[/\\]src[/\\]worker-script[/\\]node[/\\]index\.js$/);
    for (const lang of ['kor', 'eng'] as const) {
      const dir = defaultDataDir(lang);
      expect(dir).toMatch(/4\.0\.0_best_int$/);
      expect(existsSync(traineddataFile(dir, lang))).toBe(true);
    }
  });

  it('names the missing file and the package to reinstall', () => {
    expect(() => traineddataFile(tmp, 'eng')).toThrow(/English text data is missing: .*eng\.traineddata\.gz \(reinstall @tesseract\.js-data\/eng\)/);
  });

  it('points into app.asar.unpacked when a packaged app has the file there, and leaves other paths alone', () => {
    const inside = join(tmp, 'resources', 'app.asar', 'node_modules', 'tesseract.js');
    const outside = join(tmp, 'resources', 'app.asar.unpacked', 'node_modules', 'tesseract.js');
    expect(unpacked(inside)).toBe(inside); // not unpacked (yet): unchanged
    mkdirSync(outside, { recursive: true });
    expect(unpacked(inside)).toBe(outside);
    expect(unpacked(join(tmp, 'node_modules', 'tesseract.js'))).toBe(join(tmp, 'node_modules', 'tesseract.js'));
  });
});
