import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Builds dist/main once per test run for every test file that spawns the built CLI. Files run in
 * parallel: a second build rewriting the bundles while another file's CLI loads them would break it.
 * Test files are children of one vitest process, so its pid names the run.
 */
export function buildCli(): void {
  const lock = join(tmpdir(), `adstudio-cli-build-${process.ppid}`);
  const done = `${lock}.done`;
  for (;;) {
    if (existsSync(done)) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (existsSync(done)) return;
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--node-only'], { cwd: root, stdio: 'pipe' });
    writeFileSync(done, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
