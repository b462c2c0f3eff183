import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshotPayload } from '../../../preload/contract/index.js';
import type { EnginesPort, JobEndpoint } from '../../../main/core/engines/engines-port.js';
import { resolveServicePaths } from '../../../main/core/paths/default-paths.js';
import { createServices } from '../../../main/core/services.js';
import type { Services } from '../../../main/core/services-types.js';
import { createAppJobs, createEmbeddedScheduler } from '../../../main/engine/app-schedulers.js';
import { createEmbeddedInpaintEngine } from '../../../main/engine/embedded-inpaint-engine.js';
import { eventLog } from '../../unit/main/core/support/event-log.js';
import { startNanoCocoaTestDouble, type NanoCocoaTestDouble } from './nanococoa-test-double.js';

/**
 * "Run jobs on" nanoCocoa, through the app's own services: the background prompt goes to the seed's
 * server (here its TEST DOUBLE, which follows the documented API: it proves the wiring and the file
 * handling, not the real server's pictures), its result comes back once as a file and lands in the
 * editor as a background candidate fitted to the ad; presets and erasing stay on the embedded engine.
 * The container manager is replaced by a double reporting the profile healthy at the double's URL
 * (the real manager and daemon are covered by test/integration/containers/job-engine.test.ts).
 */
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function enginesAt(server: NanoCocoaTestDouble): EnginesPort {
  const snapshot: EngineSnapshotPayload = {
    profile: 'nanococoa', title: 'nanoCocoa AI server', state: 'healthy', health: { ok: true, detail: 'healthy', checkedAt: Date.now() }, port: server.port, url: server.url,
    containerId: 'c0ffee', containerName: 'adstudio-nanococoa', image: 'nanococoa-aiserver:latest', imageSize: null, diskFree: null, gpu: true, network: null, adopted: true, progress: null, error: null, warnings: [], updatedAt: Date.now(),
  };
  const endpoint: JobEndpoint = { profile: 'nanococoa', title: snapshot.title, protocol: 'nanococoa', url: server.url, token: null, containerId: 'c0ffee', workspace: null };
  return {
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    refresh: async () => snapshot,
    jobProfiles: () => [{ profile: 'nanococoa', title: snapshot.title, protocol: 'nanococoa' }],
    jobEndpoint: async () => endpoint,
  } as unknown as EnginesPort;
}

async function app(server: NanoCocoaTestDouble): Promise<Services> {
  const dataDir = mkdtempSync(join(tmpdir(), 'adstudio-nanococoa-app-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const inpaint = createEmbeddedInpaintEngine();
  const options = { dataDir, version: 'test', inpaint };
  const base = await createEmbeddedScheduler(options);
  const { scheduler, jobEngine } = await createAppJobs({ ...options, engines: enginesAt(server), base });
  const services = await createServices({ mode: 'browser', version: 'test', osLocale: 'en-US', paths: resolveServicePaths(dataDir, join(dataDir, 'projects')), inpaintEngine: inpaint, scheduler, jobEngine });
  cleanup.push(() => services.dispose());
  return services;
}

describe('Run jobs on nanoCocoa (its test double), through the app services', () => {
  it('a background prompt is drawn by the server and arrives as a fitted candidate; a preset stays embedded', async () => {
    const server = await startNanoCocoaTestDouble({ tickMs: 5, ticksPerStep: 2 });
    cleanup.push(() => server.close());
    const services = await app(server);
    const log = eventLog();
    services.onEvent(log.sink);
    const h = services.handlers;

    expect((await h.setJobEngine({ choice: 'nanococoa' })).choice).toBe('nanococoa');
    await expect.poll(async () => (await h.getJobEngine(undefined)).status, { timeout: 10_000 }).toBe('connected');

    const before = server.count('POST', '/generate');
    const prompt = await h.startBackgrounds({ width: 120, height: 160, presets: ['sweep'], prompt: 'a wooden table by a window, morning light' });
    const drawn = await log.waitFinished(prompt.jobId, 60_000);
    expect(drawn.status, JSON.stringify(drawn.error)).toBe('done');
    expect(server.count('POST', '/generate')).toBe(before + 1);
    const [candidate] = drawn.candidates!;
    expect([candidate!.asset.width, candidate!.asset.height]).toEqual([120, 160]);
    expect(candidate!.madeBy).toMatch(/^nanococoa · sweep · seed \d+ · fitted from \d+×\d+$/);

    // A preset is adstudio's own backdrop: drawn on the embedded engine, nothing sent to the server.
    const preset = await h.startBackgrounds({ width: 120, height: 160, presets: ['sweep'] });
    expect((await log.waitFinished(preset.jobId, 60_000)).status).toBe('done');
    expect(server.count('POST', '/generate')).toBe(before + 1);

    const jobs = await h.listJobs({});
    expect(jobs.slice(0, 2).map((j) => j.engine)).toEqual(['nanococoa', 'nanococoa']);
  }, 120_000);
});
