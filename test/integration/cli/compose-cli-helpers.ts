import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shared by the cutout, background and compose CLI tests: build once per file, spawn the real CLI. */
export const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'main/cli/bin.cjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export { buildCli } from '../../support/build-cli.js';

export function workDir(prefix: string): { dir: string; at: (name: string) => string; cleanup: () => void; corrupt: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const at = (name: string) => join(dir, name);
  return {
    dir,
    at,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    // A PNG signature followed by garbage: looks like an image, decodes as nothing.
    corrupt: (name) => {
      writeFileSync(at(name), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a png at all')]));
      return at(name);
    },
  };
}

/** Runs `node main/cli/bin.cjs ...args` in `cwd`. */
export function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
