import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/cli-io.js';
import { main } from '../../../main/cli/index.js';
import { startNanoCocoaTestDouble, type NanoCocoaTestDouble } from '../nanococoa/nanococoa-test-double.js';

/**
 * `adstudio engine reset --profile <name>` against the nanoCocoa TEST DOUBLE (not the real server,
 * which needs a GPU and gated weights), run as a local server: a custom profile speaking nanoCocoa
 * points its port at it. It proves the command sends the documented POST /server-reset to the
 * profile's address and that this clears a wedged job lock in a server that behaves as documented.
 */
let double: NanoCocoaTestDouble;
let home: string;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // DOCKER_HOST as the test process has it: with a daemon, the profile simply has no container here.
  const io: CliIo = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: home, env: { ...process.env, ADSTUDIO_HOME: home } };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const generate = () =>
  fetch(`${double.url}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ start_step: 1, stop_step: 1, bg_prompt: 'a table' }) });

beforeAll(async () => {
  double = await startNanoCocoaTestDouble();
  home = mkdtempSync(join(tmpdir(), 'adstudio-engine-reset-'));
  writeFileSync(
    join(home, 'engines.json'),
    JSON.stringify({ customProfiles: [{ name: 'nano-double', title: 'nanoCocoa test double', image: 'example/nanococoa:test', protocol: 'nanococoa', port: 8000, hostPort: double.port }] }),
  );
});
afterAll(async () => {
  await double?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  double.requests.length = 0;
});

describe('adstudio engine reset --profile <name> (nanoCocoa test double as a local server)', () => {
  it('clears a wedged job lock: /generate answered 503 forever before, accepts a job after', async () => {
    double.wedge();
    expect((await generate()).status).toBe(503);

    const r = await run('engine', 'reset', '--profile', 'nano-double');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`adstudio engine: nano-double was reset at ${double.url}: every job on that nanoCocoa server was stopped and its job lock cleared\n`);
    expect(double.count('POST', '/server-reset')).toBe(1);
    const health = (await (await fetch(`${double.url}/health`)).json()) as { status: string; active_jobs: number };
    expect(health).toMatchObject({ status: 'healthy', active_jobs: 0 });
    expect((await generate()).status).toBe(200);
    // The reset is in the engine's log file, where the Engines panel's log viewer reads it.
    expect(readFileSync(join(home, 'logs', 'engine-nano-double.log'), 'utf8')).toMatch(/stderr \[adstudio\] nano-double: reset the nanoCocoa server at http:\/\/127\.0\.0\.1:\d+ \(POST \/server-reset\)/);
  });

  it('a profile that does not speak nanoCocoa: a clear message, exit 1, nothing sent', async () => {
    const r = await run('engine', 'reset', '--profile', 'adstudio-engine');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^adstudio: error: The adstudio-engine engine does not speak the nanoCocoa protocol \(it speaks "adstudio-v1"\), so it has no server reset; to start it afresh, restart it instead\.\n$/);
    expect(double.count('POST', '/server-reset')).toBe(0);
  });

  it('keeps the forms exact: --profile is required, no --json, unknown profiles are named', async () => {
    const noProfile = await run('engine', 'reset');
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toContain('adstudio: error: engine reset needs --profile <name>');
    const json = await run('engine', 'reset', '--profile', 'nano-double', '--json');
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('engine reset has no --json');
    const unknown = await run('engine', 'reset', '--profile', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nope/);
    const help = await run('help', 'engine');
    expect(help.stdout).toContain('engine stop --profile <name> | engine reset --profile <name>');
    expect(double.count('POST', '/server-reset')).toBe(0);
  });

  it('nothing listening at the profile\'s address: says so and how to start it, exit 1', async () => {
    const gone = await startNanoCocoaTestDouble();
    const port = gone.port;
    await gone.close();
    writeFileSync(
      join(home, 'engines.json'),
      JSON.stringify({ customProfiles: [{ name: 'nano-gone', image: 'example/nanococoa:test', protocol: 'nanococoa', port: 8000, hostPort: port }] }),
    );
    try {
      const r = await run('engine', 'reset', '--profile', 'nano-gone');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`Could not reset the nano-gone engine at http://127\\.0\\.0\\.1:${port}: cannot reach the nanoCocoa server .*ECONNREFUSED`));
      expect(r.stderr).toMatch(/start it first \(npx adstudio engine start --profile nano-gone\)/);
    } finally {
      writeFileSync(
        join(home, 'engines.json'),
        JSON.stringify({ customProfiles: [{ name: 'nano-double', image: 'example/nanococoa:test', protocol: 'nanococoa', port: 8000, hostPort: double.port }] }),
      );
    }
  });
});
