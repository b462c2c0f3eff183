import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedRootsFrom } from '../../../../main/mcp/mcp-roots.js';
import { PathGuard } from '../../../../main/mcp/path-guard.js';
import { AppError } from '../../../../preload/contract/index.js';

let base: string;
let a: string;
let b: string;
let outside: string;
let guard: PathGuard;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'adstudio-guard-')));
  a = join(base, 'a');
  b = join(base, 'b');
  outside = join(base, 'a-evil');
  for (const d of [a, b, outside]) mkdirSync(d);
  writeFileSync(join(a, 'in.png'), 'x');
  writeFileSync(join(b, 'in.png'), 'x');
  writeFileSync(join(outside, 'secret.png'), 'x');
  symlinkSync(join(outside, 'secret.png'), join(a, 'link.png'));
  symlinkSync(outside, join(a, 'linkdir'));
  symlinkSync(join(outside, 'missing.png'), join(a, 'dangling.png'));
  symlinkSync(join(a, 'in.png'), join(b, 'to-a.png')); // inside → inside: fine
  guard = new PathGuard(await allowedRootsFrom([a], { ADSTUDIO_ALLOWED_ROOTS: `${b}${delimiter}` }, base));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('MCP path guard', () => {
  it('takes roots from --allow and ADSTUDIO_ALLOWED_ROOTS; refuses none, a missing folder, a file', async () => {
    expect(guard.list()).toEqual([a, b]);
    expect((await refusal(allowedRootsFrom([], {}, base))).message).toMatch(/needs at least one folder.*--allow <dir>.*ADSTUDIO_ALLOWED_ROOTS/);
    expect((await refusal(allowedRootsFrom([join(base, 'nope')], {}, base))).message).toMatch(/does not exist/);
    expect((await refusal(allowedRootsFrom([join(a, 'in.png')], {}, base))).message).toMatch(/is a file, not a folder/);
    expect((await allowedRootsFrom(['a'], {}, base)).list()).toEqual([a]);
  });

  it('accepts files inside any root (also through a symlink that stays inside)', async () => {
    expect(await guard.input(join(a, 'in.png'), 'image')).toBe(join(a, 'in.png'));
    expect(await guard.input(join(b, 'in.png'), 'image')).toBe(join(b, 'in.png'));
    expect(await guard.input(join(b, 'to-a.png'), 'image')).toBe(join(a, 'in.png'));
  });

  it('refuses escapes: elsewhere, "..", a look-alike folder, symlinks out, dangling links, relative paths', async () => {
    const denied = [
      join(outside, 'secret.png'),
      `${a}/../a-evil/secret.png`,
      join(a, 'link.png'),
      join(a, 'linkdir', 'secret.png'),
      join(a, 'dangling.png'),
    ];
    for (const p of denied) expect((await refusal(guard.input(p, 'image'))).code, p).toBe('path-denied');
    expect((await refusal(guard.input('in.png', 'image'))).message).toMatch(/must be an absolute path inside an allowed folder/);
    expect((await refusal(guard.input(join(a, 'none.png'), 'image'))).code).toBe('not-found');
    expect((await refusal(guard.input(a, 'image'))).message).toMatch(/is not a file/);
  });

  it('outputs: checked extension, folder created inside, never through a link out or onto a folder', async () => {
    expect(await guard.output(join(a, 'new', 'deeper', 'out.png'), 'out', ['.png'])).toBe(join(a, 'new', 'deeper', 'out.png'));
    expect(existsSync(join(a, 'new', 'deeper'))).toBe(true);
    expect((await refusal(guard.output(join(a, 'out.gif'), 'out', ['.png', '.webp']))).message).toMatch(/must end in \.png, \.webp/);
    expect((await refusal(guard.output(join(a, 'linkdir', 'out.png'), 'out', ['.png']))).code).toBe('path-denied');
    expect((await refusal(guard.output(join(a, 'linkdir', 'made', 'out.png'), 'out', ['.png']))).code).toBe('path-denied');
    expect(existsSync(join(outside, 'made'))).toBe(false);
    expect((await refusal(guard.output(join(a, 'link.png'), 'out', ['.png']))).code).toBe('path-denied');
    expect((await refusal(guard.output(join(a, 'dangling.png'), 'out', ['.png']))).code).toBe('path-denied');
    mkdirSync(join(a, 'dir.png'));
    expect((await refusal(guard.output(join(a, 'dir.png'), 'out', ['.png']))).message).toMatch(/is a folder/);
  });
});
