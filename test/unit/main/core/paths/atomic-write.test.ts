import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../../main/core/paths/atomic-write.js';
import { canMount, sysfsDir, useMountedFolders } from '../support/hostile-folders.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const mounts = useMountedFolders();

describe('writeFileAtomic', () => {
  it('writes the whole content and leaves no temp file', async () => {
    const dir = await tempDir();
    await writeFileAtomic(join(dir, 'a.bin'), new Uint8Array([1, 2, 3]));
    await writeFileAtomic(join(dir, 'a.bin'), 'replaced');
    expect(await readFile(join(dir, 'a.bin'), 'utf8')).toBe('replaced');
    expect(await readdir(dir)).toEqual(['a.bin']);
  });

  it('creates missing parent folders only when asked', async () => {
    const dir = await tempDir();
    await expect(writeFileAtomic(join(dir, 'x', 'y.txt'), 'hi')).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('does not exist') });
    await writeFileAtomic(join(dir, 'x', 'y.txt'), 'hi', { mkdir: true });
    expect(await readFile(join(dir, 'x', 'y.txt'), 'utf8')).toBe('hi');
  });

  // Proves: a target whose "folder" is a regular file fails as io (ENOTDIR), even as root.
  it('reports a path under a regular file as "not a folder"', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    await expect(writeFileAtomic(join(dir, 'file', 'out.png'), 'x')).rejects.toMatchObject({
      code: 'io',
      message: expect.stringContaining('not a folder'),
    });
  });

  // Proves: a folder the kernel refuses to create files in, for root too (sysfs, EACCES).
  it.skipIf(!sysfsDir)('reports a folder that refuses new files as read-only', async () => {
    const err = await writeFileAtomic(join(sysfsDir!, 'adstudio-export.png'), 'x').catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'io' });
    expect((err as Error).message).toMatch(/^Cannot write to \/sys: it is read-only/);
  });

  // Proves: a real read-only file system (EROFS) is reported as read-only, nothing is created.
  it.skipIf(!canMount)('reports a read-only file system and leaves nothing behind', async () => {
    const ro = (await mounts.readOnly())!;
    await expect(writeFileAtomic(join(ro, 'p.adstudio'), 'x')).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('read-only') });
    expect(await readdir(ro)).toEqual([]);
  });

  // Proves: on a really full disk the half-written temp file is removed and the previous
  // version of the file survives untouched.
  it.skipIf(!canMount)('reports a full disk, removes the temp file and keeps the old file', async () => {
    const tiny = (await mounts.tiny())!;
    const target = join(tiny, 'project.adstudio');
    await writeFileAtomic(target, 'previous version');
    const err = await writeFileAtomic(target, new Uint8Array(512 * 1024)).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'io' });
    expect((err as Error).message).toContain('the disk is full');
    expect(await readdir(tiny)).toEqual(['project.adstudio']);
    expect(await readFile(target, 'utf8')).toBe('previous version');
  });
});
