import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { httpMemoryProbe, memoryFromNanococoaHealth, type MemoryProbeRequest } from '../../../../main/core/containers/engine-memory.js';
import { parseEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { createFileJobStore } from '../../../../main/core/scheduler/job-store.js';
import { createScheduler } from '../../../../main/core/scheduler/scheduler.js';
import { createSimulatedEngine } from '../../../../main/engine/simulated/simulated-engine.js';
import { startEngineProtocolServer, type EngineProtocolServer } from '../../../../main/server/engine-protocol/engine-server.js';
import { engineMemorySchema } from '../../../../preload/contract/index.js';
import { fakeManager } from './fake-manager.js';
import { FakeContainerRuntime } from './fake-runtime.js';

const TOKEN = 'engine-memory-test-token-0123456789';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-engmem-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The real `adstudio serve` protocol server in-process, over the simulated-GPU engine (a 16 GB card, 14 GB budget). */
async function startSimulatedServe(): Promise<{ server: EngineProtocolServer; load(model: string): Promise<void> }> {
  const workspace = tempDir();
  const engine = createSimulatedEngine({ totalMb: 16_384, budgetMb: 14_336, timeScale: 0.0005, memoryLagMs: 0 });
  const scheduler = await createScheduler({ engine, store: createFileJobStore(join(workspace, 'jobs')) });
  const server = await startEngineProtocolServer({ host: '127.0.0.1', port: 0, token: TOKEN, version: 'test', engine, scheduler, workspace });
  cleanups.push(async () => {
    await server.close();
    await scheduler.close();
    await engine.close();
  });
  return {
    server,
    async load(model) {
      const res = await fetch(`${server.url}/v1/models/${model}/load`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(200);
    },
  };
}

/**
 * Test double of nanoCocoa's /health (../shared/reference/nanococoa-server.md): status and
 * system_metrics with gpu_info[] in GB, as the seed server answers.
 */
async function startNanococoaHealthDouble(body: unknown): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits };
}

const adstudio = (url: string, token: string | null): MemoryProbeRequest => ({ protocol: 'adstudio-v1', url, token, healthPath: '/health' });

describe('reading an engine\'s VRAM', () => {
  it('asks `adstudio serve` GET /v1/memory with the token: the simulated card, its budget, the resident model', async () => {
    const { server, load } = await startSimulatedServe();
    const idle = await httpMemoryProbe(adstudio(server.url, TOKEN));
    expect(idle.gpu).toEqual({ usedMb: 0, totalMb: 16_384, budgetMb: 14_336, simulated: true });
    expect(idle.simulated).toBe(true);
    expect(idle.resident).toEqual([]);

    await load('lama');
    const busy = await httpMemoryProbe(adstudio(server.url, TOKEN));
    expect(busy.gpu!.usedMb).toBeGreaterThan(0);
    expect(busy.resident.map((m) => m.id)).toEqual(['lama']);
    expect(busy.resident[0]!.footprintMb).toBeGreaterThan(0);
  });

  it('a wrong or missing token is refused with a message that says how to get one', async () => {
    const { server } = await startSimulatedServe();
    await expect(httpMemoryProbe(adstudio(server.url, 'not-the-token-0123456789'))).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/refused adstudio's token.*restart it/) });
    await expect(httpMemoryProbe(adstudio(server.url, null))).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/no ADSTUDIO_TOKEN/) });
  });

  it('nanoCocoa: reads the first GPU of /health system_metrics in GB as MB, without a budget, never simulated', async () => {
    const double = await startNanococoaHealthDouble({
      status: 'busy',
      active_jobs: 1,
      system_metrics: { cpu_percent: 12.5, ram_used_gb: 20, gpu_info: [{ name: 'NVIDIA L4', vram_used_gb: 11.25, vram_total_gb: 22.5, vram_percent: 50 }] },
    });
    const m = await httpMemoryProbe({ protocol: 'nanococoa', url: double.url, token: null, healthPath: '/health' });
    expect(m).toEqual({ gpu: { usedMb: 11_520, totalMb: 23_040, simulated: false }, resident: [], simulated: false });
    expect(double.hits).toEqual(['GET /health']);
  });

  it('nanoCocoa without gpu_info is CPU only; an answer without metrics is CPU only; a garbled one is an engine error', async () => {
    expect(memoryFromNanococoaHealth({ status: 'healthy', system_metrics: { cpu_percent: 3, gpu_info: [] } }).gpu).toBeNull();
    expect(memoryFromNanococoaHealth({ status: 'healthy' }).gpu).toBeNull();
    expect(() => memoryFromNanococoaHealth({ system_metrics: { gpu_info: [{ vram_used_gb: 'lots' }] } })).toThrow(/gpu_info/);
  });

  it('an engine on the CPU (no GPU in /v1/memory) is CPU only; a generic engine cannot report VRAM', async () => {
    // Test double answering like `adstudio serve` on the embedded (CPU) engine.
    const server = createServer((req, res) => {
      res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ gpu: null, resident: [], simulated: false }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect((await httpMemoryProbe(adstudio(url, TOKEN))).gpu).toBeNull();
    await expect(httpMemoryProbe({ protocol: 'generic', url, token: null, healthPath: '/' })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('nothing listening: engine-busy, not a crash', async () => {
    await expect(httpMemoryProbe(adstudio('http://127.0.0.1:9', TOKEN))).rejects.toMatchObject({ code: 'engine-busy' });
  });
});

describe('ContainerManager.memory: the healthy engine\'s VRAM through its container\'s token', () => {
  it('adopts a running adstudio engine and reads the real server with the token from the container\'s env', async () => {
    const { server, load } = await startSimulatedServe();
    const port = Number(new URL(server.url).port);
    const dataDir = tempDir();
    const rt = new FakeContainerRuntime();
    rt.addImage('demo/engine:1');
    // The container is fake (no daemon here); the server answering on its port is the real protocol server.
    rt.addContainer({ name: 'adstudio-demo', image: 'demo/engine:1', env: [`ADSTUDIO_TOKEN=${TOKEN}`], ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 9000 }] });
    const settings = parseEngineSettings({ customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: port }] });
    const { manager } = fakeManager({ settings, dataDir, rt });
    cleanups.push(() => manager.close());

    await expect(manager.memory('demo')).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/not running.*shown while it runs/) });
    expect((await manager.start('demo')).state).toBe('healthy');
    await load('sdxl');
    const m = engineMemorySchema.parse(await manager.memory('demo'));
    expect(m).toMatchObject({ profile: 'demo', simulated: true, gpu: { totalMb: 16_384, budgetMb: 14_336, simulated: true } });
    expect(m.gpu!.usedMb).toBeGreaterThan(0);
    expect(m.resident.map((r) => r.id)).toEqual(['sdxl']);
    // The token is read once per container, not inspected on every poll.
    const inspects = rt.calls.filter((c) => c === 'inspect').length;
    await manager.memory('demo');
    expect(rt.calls.filter((c) => c === 'inspect').length).toBe(inspects);
  });

  it('a container adstudio created gets its own token, and memory() hands exactly that one to the probe', async () => {
    const dataDir = tempDir();
    const seen: MemoryProbeRequest[] = [];
    const settings = parseEngineSettings({ customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000 }] });
    const { rt, manager } = fakeManager({
      settings,
      dataDir,
      options: {
        memoryProbe: async (r) => {
          seen.push(r);
          return { gpu: null, resident: [], simulated: false };
        },
      },
    });
    cleanups.push(() => manager.close());
    const snap = await manager.start('demo');
    const m = await manager.memory('demo');
    expect(m.gpu).toBeNull();
    const env = rt.containers.get(snap.containerId!)!.spec!.env;
    expect(seen[0]).toMatchObject({ protocol: 'adstudio-v1', url: 'http://127.0.0.1:19000', token: env.ADSTUDIO_TOKEN });
    expect(env.ADSTUDIO_TOKEN!.length).toBeGreaterThan(20);
  });
});
