import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshotPayload } from '../../../preload/contract/index.js';
import type { EnginesPort, JobEndpoint } from '../../../main/core/engines/engines-port.js';
import { createAppJobs, createEmbeddedScheduler } from '../../../main/engine/app-schedulers.js';
import { createEmbeddedInpaintEngine } from '../../../main/engine/embedded-inpaint-engine.js';

/*
 * "A job still running in a container keeps running and is picked up again" (issue 6), with the
 * app's own job wiring (createAppJobs: the hub, the saved choice, the per-engine job records) and a
 * real `adstudio serve` process standing where the engine container would be (simulated FLUX on the
 * simulated-GPU engine, so a stage lasts seconds). The app quits mid-stage; the server keeps running
 * the stage; the next app start reconnects by itself and follows the same run to its end — no second
 * run. The container manager is replaced by a double that reports this server as the healthy
 * engine (the real manager and daemon: test/integration/containers/job-engine.test.ts).
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'pickup-test-token-0123456789ab';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function serve(workspace: string): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, ['dist/main/cli.mjs', 'serve', '--port', '0', '--token', TOKEN, '--workspace', workspace, '--simulate-vram', '22', '--time-scale', '0.1'], { cwd: root });
  cleanup.push(() => child.exitCode === null && child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await expect.poll(() => out.includes('\n') || child.exitCode !== null, { timeout: 30_000 }).toBe(true);
  const m = /^adstudio serve: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
  if (!m) throw new Error(`unexpected stdout ${JSON.stringify(out)}`);
  return { url: m[1]!, child };
}

/** The manager's view of a healthy engine profile at this server (a double; see above). */
function enginesAt(url: string, workspace: string): EnginesPort {
  const snapshot = {
    profile: 'gpu-box', title: 'GPU engine', state: 'healthy', health: { ok: true, detail: 'healthy', checkedAt: Date.now() }, port: 0, url,
    containerId: 'c1', containerName: 'gpu-box', image: 'adstudio-engine:gpu', imageSize: null, diskFree: null, gpu: true, network: null, adopted: true, progress: null, error: null, warnings: [], updatedAt: Date.now(),
  } satisfies EngineSnapshotPayload;
  const endpoint: JobEndpoint = { profile: 'gpu-box', title: 'GPU engine', protocol: 'adstudio-v1', url, token: TOKEN, containerId: 'c1', workspace: { hostPath: workspace, containerPath: workspace } };
  return {
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    refresh: async () => snapshot,
    jobProfiles: () => [{ profile: 'gpu-box', title: 'GPU engine', protocol: 'adstudio-v1' }],
    jobEndpoint: async () => endpoint,
  } as unknown as EnginesPort;
}

/** A stage run's status as the engine itself reports it. */
async function runStatus(url: string, runId: string): Promise<string> {
  const r = await fetch(`${url}/v1/stages/${runId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { run: { status: string } }).run.status;
}

async function startApp(dataDir: string, engines: EnginesPort) {
  const inpaint = createEmbeddedInpaintEngine();
  const options = { dataDir, version: 'test', inpaint };
  const base = await createEmbeddedScheduler(options);
  const app = await createAppJobs({ ...options, engines, base });
  const quit = async () => {
    await app.jobEngine.close();
    await app.scheduler.scheduler.close();
    await inpaint.close();
  };
  return { ...app, quit };
}

describe('an app restart picks up the job still running on the engine', () => {
  it('quits mid-stage; the engine keeps running it; the next start follows the same run to the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adstudio-pickup-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'data');
    const workspace = join(dir, 'engine-workspace');
    mkdirSync(workspace, { recursive: true });
    const server = await serve(workspace);
    const engines = enginesAt(server.url, workspace);

    const first = await startApp(dataDir, engines);
    await first.jobEngine.choose('gpu-box');
    await expect.poll(() => first.jobEngine.view().status, { timeout: 20_000 }).toBe('connected');
    const out = join(workspace, 'backdrop.png');
    const job = await first.scheduler.scheduler.submit({
      title: 'Backdrop (FLUX)',
      priority: 'batch',
      stages: [{ id: 'bg', kind: 'background', model: 'flux-dev', inputs: {}, outputs: { image: out }, params: { prompt: 'a wooden table by a window', width: 256, height: 256 } }],
    });
    expect(job.engine).toBe('gpu-box');
    // Mid-stage: FLUX is loaded and its steps are running on the engine.
    await expect.poll(() => first.scheduler.scheduler.get(job.id)?.stages[0]?.step ?? 0, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const { startedAt, remoteRunId } = first.scheduler.scheduler.get(job.id)!.stages[0]!;
    expect(remoteRunId).toBeTruthy();
    await first.quit();
    // The app is gone; the engine is still running that stage.
    expect(await runStatus(server.url, remoteRunId!)).toBe('running');

    const second = await startApp(dataDir, engines);
    // The saved choice reconnects by itself; the job comes back from its record and is followed.
    await expect.poll(() => second.jobEngine.view().status, { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => second.scheduler.scheduler.get(job.id)?.status, { timeout: 60_000, interval: 100 }).toBe('done');
    const stage = second.scheduler.scheduler.get(job.id)!.stages[0]!;
    // The same run, not a second one: started once, one attempt, no "runs again from the start".
    expect(stage.startedAt).toBe(startedAt);
    expect(stage.remoteRunId ?? remoteRunId).toBe(remoteRunId);
    expect(stage.attempts).toBe(1);
    expect(await runStatus(server.url, remoteRunId!)).toBe('done');
    expect(stage.note ?? '').not.toMatch(/again from the start/);
    expect(existsSync(out)).toBe(true);
    await second.quit();
  }, 180_000);
});
