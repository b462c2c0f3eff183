import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeFileName, uniquePath } from '../../../../../main/core/paths/file-names.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('sanitizeFileName', () => {
  it('keeps Korean and ordinary names', () => {
    expect(sanitizeFileName('가을 세일 광고')).toBe('가을 세일 광고');
    expect(sanitizeFileName('banner-1080x1350')).toBe('banner-1080x1350');
  });
  it('removes separators, traversal, control and reserved characters', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFileName('a\\b:c*d?e"f<g>h|i')).toBe('a_b_c_d_e_f_g_h_i');
    expect(sanitizeFileName('line\nbreak\u0000')).toBe('line_break_');
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('..')).toBe('untitled');
  });
  it('falls back for empty names and avoids Windows device names', () => {
    expect(sanitizeFileName('   ')).toBe('untitled');
    expect(sanitizeFileName(undefined, 'mask')).toBe('mask');
    expect(sanitizeFileName('CON')).toBe('CON_');
  });
  it('limits the length', () => {
    expect([...sanitizeFileName('가'.repeat(500))].length).toBe(120);
  });
});

describe('uniquePath', () => {
  it('numbers names that are taken', async () => {
    const dir = await tempDir();
    expect(await uniquePath(dir, 'ad', 'png')).toBe(join(dir, 'ad.png'));
    await writeFile(join(dir, 'ad.png'), 'x');
    await writeFile(join(dir, 'ad (2).png'), 'x');
    expect(await uniquePath(dir, 'ad', 'png')).toBe(join(dir, 'ad (3).png'));
  });
});
