import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngines } from '../../../main/adapters/docker-engines.js';
import { engineSettingsFile, saveEngineSettings } from '../../../main/core/containers/engine-settings.js';
import { resolveServicePaths } from '../../../main/core/paths/default-paths.js';
import { createServices } from '../../../main/core/services.js';
import type { Services } from '../../../main/core/services-types.js';
import { createAppJobs, createEmbeddedScheduler } from '../../../main/engine/app-schedulers.js';
import { createEmbeddedInpaintEngine } from '../../../main/engine/embedded-inpaint-engine.js';
import { eventLog } from '../../unit/main/core/support/event-log.js';
import { fixture, rectMask } from '../../unit/main/core/support/test-images.js';
import { checkDaemon, ensureLocalBase, freePort, mustHaveDocker, removeContainers } from './docker-support.js';
import { buildEngineBundles, repoRoot } from './engine-bundle.js';

const daemon = await checkDaemon();
if (!daemon.ok && !mustHaveDocker()) {
  console.warn(`\n!!! SKIPPING test/integration/containers/job-engine: ${daemon.reason}.\n`);
}

const RUN = `jobs-${process.pid}`;
const NAME = 'adstudio-engine-jobs-it';
const IMAGE = 'adstudio-engine:it-jobs'; // its own tag: container test files run in parallel and must not rebuild each other's image
const W = 1024;
const H = 1072;
const RECT = { x: 120, y: 80, w: 300, h: 90 };

/**
 * "Run jobs on" against the real Docker daemon: the app's services with the Docker engine manager, the
 * embedded scheduler and the job-engine choice, exactly as `adstudio editor` and the desktop app
 * compose them. The editor's erase then runs inside the adstudio engine container (engine protocol v1
 * over the bound workspace), falls back to the embedded engine when the container stops, and a
 * restarted app reconnects by itself with the earlier jobs in its history.
 */
describe.skipIf(!daemon.ok && !mustHaveDocker())('Run jobs on the adstudio engine container (real Docker daemon)', () => {
  let dataDir: string;
  let projectsDir: string;
  let distDir: string;
  const running: Services[] = [];

  beforeAll(async () => {
    if (!daemon.ok) throw new Error(`CI must provide a Docker daemon: ${daemon.reason}`);
    await removeContainers(daemon.docker, { names: [NAME] });
    await ensureLocalBase();
    dataDir = mkdtempSync(join(tmpdir(), 'adstudio-job-engine-it-'));
    projectsDir = join(dataDir, 'projects');
    distDir = await buildEngineBundles(join(repoRoot, '.tmp', `containers-${RUN}`));
    const port = await freePort();
    await saveEngineSettings(engineSettingsFile(dataDir), {
      profiles: { 'adstudio-engine': { image: IMAGE, containerName: NAME, hostPort: port, containerPort: port, volumeHostPath: join(dataDir, 'models'), healthTimeoutSec: 60 } },
    });
  }, 300_000);

  afterAll(async () => {
    for (const s of running.splice(0)) await s.dispose();
    if (daemon.ok) await removeContainers(daemon.docker, { names: [NAME] });
    rmSync(join(repoRoot, '.tmp', `containers-${RUN}`), { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The app's services as the composition roots build them. */
  async function startApp() {
    const inpaint = createEmbeddedInpaintEngine();
    const engines = await createDockerEngines({ dataDir, version: 'it', packageRoot: repoRoot, distDir, env: process.env, log: () => undefined });
    const options = { dataDir, version: 'it', inpaint };
    const base = await createEmbeddedScheduler(options);
    const { scheduler, jobEngine } = await createAppJobs({ ...options, engines, base });
    const services = await createServices({
      mode: 'browser',
      version: 'it',
      osLocale: 'en-US',
      paths: resolveServicePaths(dataDir, projectsDir),
      inpaintEngine: inpaint,
      scheduler,
      jobEngine,
      ...(engines ? { engines } : {}),
    });
    running.push(services);
    const log = eventLog();
    services.onEvent(log.sink);
    return { services, h: services.handlers, log };
  }

  async function erase(app: Awaited<ReturnType<typeof startApp>>) {
    const original = new Uint8Array(await readFile(fixture('ad-apples-korean-text.png')));
    const image = await app.h.putAsset({ kind: 'image', bytes: original, name: 'ad-apples-korean-text.png' });
    const mask = await app.h.putAsset({ kind: 'mask', bytes: await rectMask(W, H, RECT) });
    const { jobId } = await app.h.startInpaint({ image: image.hash, mask: mask.hash });
    const end = await app.log.waitFinished(jobId, 90_000);
    return { original, end };
  }

  async function stop(services: Services) {
    running.splice(running.indexOf(services), 1);
    await services.dispose();
  }

  it('a chosen, stopped container: new jobs run on the embedded engine and the view says so', async () => {
    const app = await startApp();
    const first = await app.h.getJobEngine(undefined);
    expect(first).toMatchObject({ choice: 'embedded', active: 'embedded', status: 'embedded' });
    expect(first.options).toEqual(expect.arrayContaining([expect.objectContaining({ profile: 'adstudio-engine', protocol: 'adstudio-v1' })]));

    const chosen = await app.h.setJobEngine({ choice: 'adstudio-engine' });
    expect(chosen).toMatchObject({ choice: 'adstudio-engine', active: 'embedded', status: 'waiting' });
    const { end } = await erase(app);
    expect(end).toMatchObject({ status: 'done' });
    const [job] = await app.h.listJobs({});
    expect(job).toMatchObject({ engine: 'embedded', status: 'done' });
    await stop(app.services);
  }, 120_000);

  it('once the container is healthy the erase runs inside it, through the bound workspace; pixels outside the mask are untouched', async () => {
    const app = await startApp();
    // The saved choice survived the restart.
    expect((await app.h.getJobEngine(undefined)).choice).toBe('adstudio-engine');
    const started = await app.h.startEngine({ profile: 'adstudio-engine' });
    expect(started.state).toBe('healthy');
    await expect.poll(async () => (await app.h.getJobEngine(undefined)).status, { timeout: 20_000 }).toBe('connected');
    expect(app.log.events.some((e) => e.event === 'jobEngine')).toBe(true);
    expect((await app.h.getJobsMemory(undefined)).engine).toBe('adstudio-engine');

    const { original, end } = await erase(app);
    expect(end).toMatchObject({ status: 'done', result: { width: W, height: H } });
    const jobs = await app.h.listJobs({});
    expect(jobs[0]).toMatchObject({ engine: 'adstudio-engine', status: 'done' });
    // The job's files went through the workspace the container sees (<data dir>/engine-workspace);
    // its folder is removed once the result is in the asset store, so the job lists no result path.
    expect(existsSync(join(dataDir, 'engine-workspace', 'erase'))).toBe(true);
    expect(readdirSync(join(dataDir, 'engine-workspace', 'erase'))).toEqual([]);
    expect(jobs[0]!.stages[0]!.outputs).toEqual({});
    // The earlier job (embedded) is still in the list, with its engine.
    expect(jobs.map((j) => j.engine)).toContain('embedded');

    const before = (await sharp(original).ensureAlpha().raw().toBuffer()) as Buffer;
    const result = await app.services.assetFile(end.result!.hash);
    const after = (await sharp(result!.path).ensureAlpha().raw().toBuffer()) as Buffer;
    let changedOutside = 0;
    let changedInside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const inside = x >= RECT.x && x < RECT.x + RECT.w && y >= RECT.y && y < RECT.y + RECT.h;
        const differs = before[i] !== after[i] || before[i + 1] !== after[i + 1] || before[i + 2] !== after[i + 2];
        if (differs && inside) changedInside++;
        if (differs && !inside) changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(RECT.w * RECT.h * 0.3);

    // The container stops: the next job runs on the embedded engine, with a status that says why.
    await app.h.stopEngine({ profile: 'adstudio-engine' });
    await expect.poll(async () => (await app.h.getJobEngine(undefined)).status, { timeout: 20_000 }).toBe('waiting');
    const fallback = await erase(app);
    expect(fallback.end.status).toBe('done');
    expect((await app.h.listJobs({}))[0]).toMatchObject({ engine: 'embedded' });
    await stop(app.services);
  }, 240_000);

  it('a restarted app finds the container running and reconnects by itself; the container job is in its history', async () => {
    const first = await startApp();
    await first.h.startEngine({ profile: 'adstudio-engine' });
    await expect.poll(async () => (await first.h.getJobEngine(undefined)).status, { timeout: 20_000 }).toBe('connected');
    await stop(first.services);

    // The container keeps running (on quit: leave running); a new app start adopts and reconnects.
    const app = await startApp();
    await expect.poll(async () => (await app.h.getJobEngine(undefined)).status, { timeout: 30_000 }).toBe('connected');
    const jobs = await app.h.listJobs({});
    expect(jobs.filter((j) => j.engine === 'adstudio-engine').length).toBeGreaterThanOrEqual(1);
    await stop(app.services);
  }, 120_000);
});
