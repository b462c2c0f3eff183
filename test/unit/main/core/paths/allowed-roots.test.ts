import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AllowedRoots } from '../../../../../main/core/paths/allowed-roots.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** <tmp>/projects (allowed), <tmp>/projects-evil and <tmp>/outside (not allowed). */
async function layout() {
  const base = await tempDir();
  const projects = join(base, 'projects');
  const evil = join(base, 'projects-evil');
  const outside = join(base, 'outside');
  await Promise.all([mkdir(projects), mkdir(evil), mkdir(outside)]);
  await writeFile(join(projects, 'a.adstudio'), 'x');
  await writeFile(join(outside, 'secret.txt'), 'x');
  const roots = new AllowedRoots();
  roots.add(projects);
  return { base, projects, evil, outside, roots };
}

async function denied(p: Promise<unknown>) {
  await expect(p).rejects.toMatchObject({ code: 'path-denied' });
}

describe('AllowedRoots', () => {
  it('allows existing and not-yet-existing files inside a root, returning the real path', async () => {
    const { projects, roots } = await layout();
    await expect(roots.check(join(projects, 'a.adstudio'), 'open')).resolves.toBe(join(projects, 'a.adstudio'));
    await expect(roots.check(join(projects, 'new.adstudio'), 'save')).resolves.toBe(join(projects, 'new.adstudio'));
    await expect(roots.check(join(projects, 'sub', 'deeper', 'new.png'), 'save')).resolves.toBe(join(projects, 'sub', 'deeper', 'new.png'));
    await expect(roots.check(projects, 'list')).resolves.toBe(projects);
  });

  it('refuses ../ escapes, relative paths and NUL bytes', async () => {
    const { projects, outside, roots } = await layout();
    await denied(roots.check(join(projects, '..', 'outside', 'secret.txt'), 'open'));
    await denied(roots.check(`${projects}/../outside/new.txt`, 'save'));
    await denied(roots.check(`${projects}/missing/../../outside/x`, 'save'));
    await denied(roots.check('projects/a.adstudio', 'open'));
    await denied(roots.check(`${projects}/a\0.adstudio`, 'open'));
    await denied(roots.check(join(outside, 'secret.txt'), 'open'));
  });

  it('refuses a look-alike sibling folder (prefix trick)', async () => {
    const { evil, roots } = await layout();
    await denied(roots.check(join(evil, 'x.adstudio'), 'save'));
    await denied(roots.check(evil, 'list'));
  });

  it('refuses symlinks that lead out of the root, including via a later ".."', async () => {
    const { projects, outside, roots } = await layout();
    await symlink(outside, join(projects, 'link-dir'));
    await symlink(join(outside, 'secret.txt'), join(projects, 'link-file'));
    await denied(roots.check(join(projects, 'link-dir', 'secret.txt'), 'open'));
    await denied(roots.check(join(projects, 'link-dir', 'new.txt'), 'save'));
    await denied(roots.check(join(projects, 'link-file'), 'open'));
    // Lexically this is inside projects; the OS resolves link-dir first, so it is <base>/x.
    await denied(roots.check(`${projects}/link-dir/../x.adstudio`, 'save'));
  });

  it('refuses a dangling symlink whose target a write would create outside', async () => {
    const { projects, outside, roots } = await layout();
    await symlink(join(outside, 'created-by-write.txt'), join(projects, 'dangling.adstudio'));
    await denied(roots.check(join(projects, 'dangling.adstudio'), 'save'));
  });

  it('allows symlinks inside the root that stay inside', async () => {
    const { projects, roots } = await layout();
    await mkdir(join(projects, 'real'));
    await symlink(join(projects, 'real'), join(projects, 'alias'));
    await expect(roots.check(join(projects, 'alias', 'x.png'), 'save')).resolves.toBe(join(projects, 'real', 'x.png'));
  });

  it('a root reached through a symlink works, and a root created later is honoured', async () => {
    const base = await tempDir();
    await mkdir(join(base, 'real-projects'));
    await symlink(join(base, 'real-projects'), join(base, 'projects-link'));
    const roots = new AllowedRoots();
    roots.add(join(base, 'projects-link'));
    roots.add(join(base, 'later'));
    await expect(roots.check(join(base, 'real-projects', 'a.png'), 'save')).resolves.toBe(join(base, 'real-projects', 'a.png'));
    await mkdir(join(base, 'later'));
    await expect(roots.check(join(base, 'later', 'b.png'), 'save')).resolves.toBe(join(base, 'later', 'b.png'));
  });

  it('grants exactly one file picked in a dialog, not its folder', async () => {
    const { outside, roots } = await layout();
    await roots.grantFile(join(outside, 'secret.txt'));
    await roots.grantFile(join(outside, 'chosen-new.adstudio'));
    await expect(roots.check(join(outside, 'secret.txt'), 'open')).resolves.toBe(join(outside, 'secret.txt'));
    await expect(roots.check(join(outside, 'chosen-new.adstudio'), 'save')).resolves.toBe(join(outside, 'chosen-new.adstudio'));
    await denied(roots.check(join(outside, 'other.txt'), 'open'));
    await denied(roots.check(outside, 'list'));
  });

  it('says what was refused and which folders are allowed', async () => {
    const { projects, outside, roots } = await layout();
    const err = await roots.check(join(outside, 'secret.txt'), 'save the project to').catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'path-denied' });
    expect((err as Error).message).toContain('Cannot save the project to');
    expect((err as Error).message).toContain(projects);
  });
});
