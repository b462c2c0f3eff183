import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AllowedRoots } from '../../../../main/core/paths/allowed-roots.js';
import { createMemoryJobStore } from '../../../../main/core/scheduler/job-store.js';
import { createScheduler } from '../../../../main/core/scheduler/scheduler.js';
import type { EngineCapabilities, StageEngine, StageKind, StageRequest } from '../../../../main/engine/stage-engine.js';
import { createAdstudioMcpServer } from '../../../../main/mcp/mcp-server.js';
import { PathGuard } from '../../../../main/mcp/path-guard.js';
import { jsonResult } from '../../../../main/mcp/tool-result.js';
import { AppError } from '../../../../preload/contract/index.js';

/**
 * The MCP tools in process (the SDK's InMemoryTransport) over a small fake engine whose stages,
 * failures and timing each test chooses: what the tools do with capabilities, failures, progress and
 * intermediate files, independent of the real engines (those run in test/integration/mcp).
 */

let dir: string;
let allowed: string;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'adstudio-mcp-unit-')));
  allowed = join(dir, 'allowed');
  mkdirSync(allowed);
  await sharp({ create: { width: 32, height: 24, channels: 3, background: '#336699' } }).png().toFile(join(allowed, 'in.png'));
  return () => rmSync(dir, { recursive: true, force: true });
});

interface FakeOptions {
  stages?: StageKind[];
  /** Steps per stage, each `stepMs` long. */
  steps?: number;
  stepMs?: number;
  fail?: Partial<Record<StageKind, AppError>>;
}

/** Writes a copy of the input image (or a flat PNG) to every output; reports step progress. */
function fakeEngine(o: FakeOptions = {}): StageEngine & { requests: StageRequest[] } {
  const requests: StageRequest[] = [];
  const stages = o.stages ?? ['detect_text', 'inpaint'];
  return {
    requests,
    async capabilities(): Promise<EngineCapabilities> {
      return { engine: 'fake', version: '1', protocol: 'adstudio/1', simulated: false, stages, inpaintMethods: ['copy'] };
    },
    async health() {
      return { status: 'healthy', simulated: false, gpu: null };
    },
    async models() {
      return [];
    },
    async load() {},
    async unload() {},
    async memory() {
      return null;
    },
    async runStage(request, context) {
      requests.push(request);
      const steps = o.steps ?? 1;
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, o.stepMs ?? 1));
        if (context.signal.aborted) throw new AppError('cancelled', 'cancelled');
        context.onProgress?.(i, steps);
      }
      const failure = o.fail?.[request.kind];
      if (failure) throw failure;
      for (const path of Object.values(request.outputs)) {
        if (path.endsWith('.json')) await import('node:fs/promises').then((fs) => fs.writeFile(path, JSON.stringify({ width: 32, height: 24, regions: [{ box: { x: 1, y: 2, w: 3, h: 4 }, score: 0.9 }] })));
        else await sharp({ create: { width: 32, height: 24, channels: 3, background: '#ffffff' } }).png().toFile(path);
      }
      return { outputs: { ...request.outputs }, madeBy: `fake:${request.kind}` };
    },
    async close() {},
  };
}

async function connect(engine: StageEngine) {
  const scheduler = await createScheduler({ engine, store: createMemoryJobStore(), healthPollMs: 0 });
  const roots = new AllowedRoots();
  roots.add(allowed);
  const workRoot = join(dir, 'work');
  const server = createAdstudioMcpServer({ engine, scheduler, paths: new PathGuard(roots), workRoot, version: 'test', log: () => undefined });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'unit', version: '1' });
  await Promise.all([server.connect(a), client.connect(b)]);
  cleanup.push(async () => {
    await client.close();
    await scheduler.close();
  });
  const call = async (name: string, args: Record<string, unknown>, options?: Parameters<Client['callTool']>[2]) => (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
  return { client, scheduler, workRoot, call };
}

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
const json = (r: CallToolResult) => JSON.parse(text(r)) as Record<string, unknown>;

describe('MCP tools (in process, fake engine)', () => {
  it('a tool whose stage the engine lacks says which stage is missing — asked at call time', async () => {
    const { call } = await connect(fakeEngine({ stages: ['detect_text', 'inpaint'] }));
    const r = await call('cutout', { image: join(allowed, 'in.png'), out: join(allowed, 'cut.png') });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^cutout: the engine in use \(fake 1\) has no "cutout" stage, which cutout needs; it runs: detect_text, inpaint/);
    const compose = await call('compose_ad', { background_preset: 'sweep', products: [join(allowed, 'in.png')], out: join(allowed, 'ad.png') });
    expect(text(compose)).toMatch(/has no "background", "compose" stage/);
    const erase = await connect(fakeEngine({ stages: ['inpaint'] }));
    const noDetect = await erase.call('erase_text', { image: join(allowed, 'in.png'), out: join(allowed, 'e.png') });
    expect(text(noDetect)).toMatch(/no "detect_text" stage, which erase_text needs/);
    // With a mask, the erase alone is enough.
    expect((await erase.call('erase_text', { image: join(allowed, 'in.png'), mask: join(allowed, 'in.png'), out: join(allowed, 'e.png') })).isError).toBeFalsy();
  });

  it('an engine failure is a tool error with the stage\'s reason; nothing is reported done', async () => {
    const { call } = await connect(fakeEngine({ fail: { inpaint: new AppError('bad-image', 'the image is truncated') } }));
    const r = await call('erase_text', { image: join(allowed, 'in.png'), mask: join(allowed, 'in.png'), out: join(allowed, 'fail.png'), wait_seconds: 10 });
    expect(r.isError).toBe(true);
    expect(json(r)).toMatchObject({ status: 'failed', error: 'Stage "erase": the image is truncated' });
    expect(existsSync(join(allowed, 'fail.png'))).toBe(false);
  });

  it('erase without a mask: the detected mask lives in the work folder, is never shown, and is removed after', async () => {
    const engine = fakeEngine();
    const { call, workRoot } = await connect(engine);
    const r = await call('erase_text', { image: join(allowed, 'in.png'), out: join(allowed, 'auto.png'), wait_seconds: 10 });
    expect(json(r)).toMatchObject({ status: 'done', image: join(allowed, 'auto.png'), mask: null, made_by: ['fake:detect_text', 'fake:inpaint'] });
    expect(engine.requests.map((q) => q.kind)).toEqual(['detect_text', 'inpaint']);
    const workMask = engine.requests[0]!.outputs.mask!;
    expect(workMask.startsWith(workRoot)).toBe(true);
    expect(engine.requests[1]!.inputs.mask).toBe(workMask);
    expect(text(r)).not.toContain(workRoot);
    for (let i = 0; i < 50 && existsSync(workMask); i++) await new Promise((res) => setTimeout(res, 10));
    expect(existsSync(workMask)).toBe(false);
  });

  it('short waits answer with the job id; job_status follows; progress notifications only go up', async () => {
    const { call } = await connect(fakeEngine({ steps: 8, stepMs: 40 }));
    copyFileSync(join(allowed, 'in.png'), join(allowed, 'copy.png'));
    const started = json(await call('detect_text', { image: join(allowed, 'copy.png'), out: join(allowed, 'm.png'), wait_seconds: 0 }));
    expect(started).toMatchObject({ status: expect.stringMatching(/queued|running/), will_write: { mask: join(allowed, 'm.png') } });
    const progress: number[] = [];
    const done = await call('job_status', { job_id: started.job_id, wait_seconds: 10 }, { onprogress: (p) => progress.push(p.progress) });
    expect(json(done)).toMatchObject({ status: 'done', progress: 1, outputs: { 'detect.mask': join(allowed, 'm.png') } });
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
  });

  it('a client that cancels its call cancels the job it started', async () => {
    const { call, scheduler } = await connect(fakeEngine({ steps: 200, stepMs: 20 }));
    const controller = new AbortController();
    const pending = call('erase_text', { image: join(allowed, 'in.png'), mask: join(allowed, 'in.png'), out: join(allowed, 'never.png'), wait_seconds: 60 }, { signal: controller.signal });
    for (let i = 0; i < 100 && scheduler.list({ active: true }).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const [job] = scheduler.list({ active: true });
    controller.abort();
    await expect(pending).rejects.toThrow();
    for (let i = 0; i < 200 && scheduler.get(job!.id)!.status !== 'cancelled'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(scheduler.get(job!.id)!.status).toBe('cancelled');
  });

  it('a cancelled job_status poll only stops the wait: the job goes on', async () => {
    const { call, scheduler } = await connect(fakeEngine({ steps: 20, stepMs: 20 }));
    const started = json(await call('erase_text', { image: join(allowed, 'in.png'), mask: join(allowed, 'in.png'), out: join(allowed, 'goes-on.png'), wait_seconds: 0 }));
    const controller = new AbortController();
    const poll = call('job_status', { job_id: started.job_id, wait_seconds: 60 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(poll).rejects.toThrow();
    const done = json(await call('job_status', { job_id: started.job_id, wait_seconds: 10 }));
    expect(done.status).toBe('done');
    expect(scheduler.get(started.job_id as string)!.status).toBe('done');
    expect(existsSync(join(allowed, 'goes-on.png'))).toBe(true);
  });

  it('a result that would carry encoded image data is withheld', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]).toString('base64');
    const r = jsonResult({ image: png });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/withheld; tools answer with file paths only/);
    // Image data without a recognisable header: a long run of the base64 alphabet.
    expect(jsonResult({ data: Buffer.alloc(600, 0xab).toString('base64').replace(/\//g, 'A') }).isError).toBe(true);
    expect(jsonResult({ image: `data:image/png;base64,AAAA` }).isError).toBe(true);
    expect(jsonResult({ image: '/a/b-c/d.png' }).isError).toBeUndefined();
  });
});
