import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../main/cli/index.js';
import type { CliIo } from '../../../../main/cli/cli-io.js';
import { COMMANDS } from '../../../../main/cli/commands/index.js';
import { methodIds } from '../../../../main/engine/inpaint/methods.js';

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    cwd: '/nonexistent-cwd',
    env: {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function run(...argv: string[]) {
  const f = fakeIo();
  const code = await main(argv, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

describe('adstudio CLI arguments', () => {
  it('prints the package.json version for --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run(flag);
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('prints the command list for --help, -h and help, on stdout', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: adstudio <command>');
      for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
    }
  });

  it('lists each command with the same summary its module gives (the list loads no command)', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });

  it('prints command help for "help inpaint" and "inpaint --help"', async () => {
    for (const args of [['help', 'inpaint'], ['inpaint', '--help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: adstudio inpaint <image> --mask <mask.png> --out <out.png> [--method <name>]');
      expect(r.stdout).toContain('telea');
    }
  });

  it.each([
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
    [['inpaint'], /missing <image>/],
    [['inpaint', 'a.png', 'b.png', '--mask', 'm.png', '--out', 'o.png'], /expected one image/],
    [['inpaint', 'a.png', '--out', 'o.png'], /missing --mask/],
    [['inpaint', 'a.png', '--mask', 'm.png'], /missing --out/],
    [['inpaint', 'a.png', '--mask'], /option --mask needs a value/],
    [['inpaint', 'a.png', '--mask', 'm.png', '--out', 'o.png', '--strength', '3'], /unknown option --strength/],
  ])('exits 2 with a usage hint for %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...hint] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^adstudio: error: /);
    expect(first).toMatch(message);
    expect(hint.join('\n')).toMatch(/adstudio (--help|help inpaint)/);
  });

  it('exits 1 with one clear line for bad values (unknown method, output format) before reading any file', async () => {
    const method = await run('inpaint', 'a.png', '--mask', 'm.png', '--out', 'o.png', '--method', 'magic');
    expect(method.code).toBe(1);
    expect(method.stderr).toBe(`adstudio: error: unknown method "magic"; available: ${[...methodIds(), 'lama'].join(', ')}\n`);
    const format = await run('inpaint', 'a.png', '--mask', 'm.png', '--out', 'o.gif');
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/^adstudio: error: cannot tell the output format from "o.gif".*\.png.*\n$/);
  });
});
