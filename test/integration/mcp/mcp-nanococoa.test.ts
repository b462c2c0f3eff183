/**
 * `adstudio mcp --engine nanococoa:<url>`: backgrounds from the seed's GPU server, everything else on
 * the embedded engine. The server here is a TEST DOUBLE (test/integration/nanococoa), so this proves
 * the wiring and the file-path contract against the documented API — not the real server.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.js';
import { startNanoCocoaTestDouble, type NanoCocoaTestDouble } from '../nanococoa/nanococoa-test-double.js';
import { buildCli, expectNoImageData, jsonOf, startMcp, textOf, type McpSession } from './mcp-support.js';

let base: string;
let allowed: string;
let server: NanoCocoaTestDouble;
let mcp: McpSession;

beforeAll(async () => {
  buildCli();
  base = mkdtempSync(join(tmpdir(), 'adstudio-mcp-nano-'));
  allowed = join(base, 'allowed');
  mkdirSync(allowed);
  copyFileSync(fixture('product-banana.png'), join(allowed, 'banana.png'));
  server = await startNanoCocoaTestDouble({ gpu: { usedGb: 2, totalGb: 24 } });
  mcp = await startMcp(['--allow', allowed, '--jobs-dir', join(base, 'jobs'), '--engine', `nanococoa:${server.url}`]);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('adstudio mcp with the nanoCocoa engine (test double)', () => {
  it('engine_status: nanoCocoa for backgrounds, the embedded engine for the rest, the server\'s GPU', async () => {
    const status = jsonOf(await mcp.call('engine_status', {}));
    expect(status).toMatchObject({
      engine: { name: 'nanococoa+embedded', simulated: false, stages: expect.arrayContaining(['background', 'render_text', 'detect_text', 'inpaint', 'cutout', 'compose']) },
      health: { status: 'healthy' },
      memory: { device: 'gpu', total_mb: 24 * 1024, used_mb: 2 * 1024, simulated: false },
    });
  });

  it('generate_background runs on the server: the product goes there, the result comes back as a file', async () => {
    const result = await mcp.call('generate_background', { out: join(allowed, 'bg.png'), prompt: 'a wooden table', product: join(allowed, 'banana.png'), seed: 4, wait_seconds: 60 });
    expect(result.isError, textOf(result)).toBeFalsy();
    // The double makes 96×64 pictures: the answer gives the size actually written.
    expect(jsonOf(result)).toMatchObject({ status: 'done', image: join(allowed, 'bg.png'), width: 96, height: 64, made_by: ['nanococoa:flux background'] });
    expect((await sharp(join(allowed, 'bg.png')).metadata()).format).toBe('png');
    expect(server.count('POST', '/generate')).toBe(1);
  });

  it('a failure on the server is run once more (a fresh job), then a tool error with its reason', async () => {
    server.failNextJob('Step 1 오류 (배경 생성 실패): CUDA out of memory', 'error', 2);
    const before = server.count('POST', '/generate');
    const result = await mcp.call('generate_background', { out: join(allowed, 'bg-fail.png'), wait_seconds: 60 });
    expect(result.isError).toBe(true);
    expect(jsonOf(result).error).toMatch(/the nanoCocoa server failed the job \(status "error"\): Step 1 오류 .*CUDA out of memory.*failed again after one retry/);
    expect(server.count('POST', '/generate') - before).toBe(2);
  });

  it('no result carried image data, though the server answered with base64 on every poll', () => {
    expectNoImageData(mcp.results);
  });
});
