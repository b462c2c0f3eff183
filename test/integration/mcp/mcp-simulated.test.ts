/**
 * `adstudio mcp --simulate-vram`: the queue, progress notifications and the VRAM report end to end
 * without a GPU. The simulated engine's diffusion stages write placeholders (and say "simulated");
 * what is checked here is the plumbing, not image quality.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, expectNoImageData, jsonOf, startMcp, type McpSession } from './mcp-support.js';

let base: string;
let allowed: string;
let mcp: McpSession;

beforeAll(async () => {
  buildCli();
  base = mkdtempSync(join(tmpdir(), 'adstudio-mcp-sim-'));
  allowed = join(base, 'work');
  mkdirSync(allowed);
  // Allowed through the environment variable this time (a path list; empty entries are ignored).
  mcp = await startMcp(['--simulate-vram', '22', '--time-scale', '0.02', '--jobs-dir', join(base, 'jobs')], { ADSTUDIO_ALLOWED_ROOTS: `${allowed}${delimiter}` });
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('adstudio mcp with the simulated-VRAM engine', () => {
  it('engine_status says simulated, with the VRAM budget', async () => {
    const status = jsonOf(await mcp.call('engine_status', {}));
    expect(status).toMatchObject({
      engine: { name: 'simulated-gpu', simulated: true },
      memory: { device: 'gpu', budget_mb: 22 * 1024, simulated: true },
      simulated: true,
      allowed_roots: [allowed],
    });
  });

  it('sends increasing progress notifications while it waits, and answers done', async () => {
    const progress: number[] = [];
    const result = await mcp.call(
      'generate_background',
      { out: join(allowed, 'bg.png'), prompt: 'a marble tabletop', size: 'square', wait_seconds: 60 },
      { onprogress: (p) => progress.push(p.progress), resetTimeoutOnProgress: true },
    );
    expect(result.isError).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({ status: 'done', simulated: true, made_by: ['simulated:flux-dev'] });
    expect(existsSync(join(allowed, 'bg.png'))).toBe(true);
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
  });

  it('a queued job shows in engine_status and job_status until it ends', async () => {
    const started = jsonOf(await mcp.call('generate_background', { out: join(allowed, 'bg2.png'), seed: 9, wait_seconds: 0 }));
    const jobId = started.job_id as string;
    const status = jsonOf(await mcp.call('engine_status', {}));
    expect((status.queue as Array<{ job_id: string }>).map((j) => j.job_id)).toContain(jobId);
    const done = jsonOf(await mcp.call('job_status', { job_id: jobId, wait_seconds: 60 }));
    expect(done).toMatchObject({ job_id: jobId, status: 'done', progress: 1, simulated: true, outputs: { 'background.image': join(allowed, 'bg2.png') } });
  });

  it('a second server on the same jobs folder keeps its jobs in memory instead of taking the first one\'s', async () => {
    const second = await startMcp(['--simulate-vram', '22', '--jobs-dir', join(base, 'jobs')], { ADSTUDIO_ALLOWED_ROOTS: allowed });
    try {
      await second.client.listTools();
      expect(second.stderr()).toMatch(/another adstudio mcp uses .*jobs; this one keeps its jobs in memory/);
      expect(second.stderr()).toMatch(/jobs: memory/);
    } finally {
      await second.close();
    }
  });

  it('no result carried image data', () => {
    expectNoImageData(mcp.results);
  });
});
