import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../../main/cli/cli-io.js';
import { defaultWorkspace } from '../../../../../main/cli/commands/serve.js';
import { main } from '../../../../../main/cli/index.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: '/nonexistent-cwd', env: {} };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('adstudio serve arguments', () => {
  it('refuses bad --simulate-vram, --time-scale without it, and a bad port, as usage errors before starting anything', async () => {
    for (const [args, message] of [
      [['--simulate-vram', 'lots'], '--simulate-vram must be a number above 0'],
      [['--simulate-vram', '0'], '--simulate-vram must be a number above 0'],
      [['--time-scale', '0.1'], '--time-scale only applies with --simulate-vram'],
      [['--port', '70000'], '--port must be a number from 0 to 65535'],
      [['extra'], 'unexpected argument "extra"'],
    ] as const) {
      const r = await run('serve', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });

  it('documents the new flags and the protocol in its help', async () => {
    const r = await run('help', 'serve');
    expect(r.code).toBe(0);
    for (const s of ['--workspace DIR', '--simulate-vram GB', '--time-scale F', 'GET /v1/events', 'docs/engine-protocol.openapi.yaml', 'adstudio serve: http://127.0.0.1:PORT']) {
      expect(r.stdout).toContain(s);
    }
  });

  it('puts the workspace at the bind mount in the engine container, else under the data folder', () => {
    expect(defaultWorkspace({ ADSTUDIO_IN_CONTAINER: '1' })).toBe('/workspace');
    expect(defaultWorkspace({ ADSTUDIO_HOME: '/data/adstudio' })).toBe('/data/adstudio/workspace');
  });
});
