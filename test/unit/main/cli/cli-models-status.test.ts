import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../main/cli/cli-io.js';
import { main } from '../../../../main/cli/index.js';
import { tinyLamaModel, tinyLamaSpec } from '../engine/lama/tiny-lama-model.js';

/**
 * What the CLI says about this machine's models: `help inpaint` marks the default method and says
 * whether LaMa is installed; `models list` shows the declared RAM and VRAM. In-process, against a
 * model folder of the test's own with the tiny LaMa stand-in (the real weights are not here).
 */
const dir = mkdtempSync(join(tmpdir(), 'adstudio-cli-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODEL = tinyLamaModel({ size: 64 });
const registry = join(dir, 'registry.json');
writeFileSync(registry, JSON.stringify({ models: [tinyLamaSpec(MODEL)] }));
const modelFile = join(dir, 'lama_fp32.onnx');
writeFileSync(modelFile, MODEL);
const env = { ADSTUDIO_MODELS_DIR: join(dir, 'models'), ADSTUDIO_MODELS_REGISTRY: registry, ADSTUDIO_MODEL_HUB: 'http://127.0.0.1:1' };

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: dir, env };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('the CLI on what is installed', () => {
  it('help inpaint lists every method with the default marked, and LaMa as not installed with how to get it', async () => {
    const r = await run('help', 'inpaint');
    expect(r.code).toBe(0);
    const status = r.stdout.slice(r.stdout.indexOf('Methods on this machine:'));
    expect(status).toMatch(/^ {2}patchmatch \(default\) +installed \(built in: PatchMatch \(texture\)\)$/m);
    expect(status).toMatch(/^ {2}telea +installed \(built in/m);
    expect(status).toMatch(/^ {2}smooth +installed \(built in/m);
    expect(status).toMatch(/^ {2}lama +not installed: adstudio models download lama \(\d+ B\)$/m);
  });

  it('models list shows RAM and VRAM columns (the registry footprint); --json keeps its fields', async () => {
    const text = await run('models', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^id +state +size +RAM +VRAM +licence +source\nlama +missing +\d+ B +1\.5 GB +1\.7 GB +Apache-2\.0 +Test\/Tiny-LaMa@feedfac\n/);
    const [lama] = JSON.parse((await run('models', 'list', '--json')).stdout) as Record<string, unknown>[];
    expect(lama).toMatchObject({ id: 'lama', state: 'missing', ramBytes: 1400 * 1024 * 1024, vramBytes: 1600 * 1024 * 1024 });
  });

  it('once imported, help inpaint (and inpaint --help) say LaMa is installed and where', async () => {
    expect((await run('models', 'import', 'lama', modelFile)).code).toBe(0);
    for (const argv of [['help', 'inpaint'], ['inpaint', '--help']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^ {2}lama +installed \\(${join(dir, 'models')}/hub/models--Test--Tiny-LaMa/snapshots/[0-9a-f]+/lama_fp32\\.onnx\\)$`, 'm'));
    }
    expect((await run('models', 'list')).stdout).toMatch(/^lama +installed +/m);
  });
});
