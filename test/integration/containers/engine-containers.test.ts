import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerRuntime } from '../../../main/adapters/docker-runtime.js';
import { ContainerError } from '../../../main/core/containers/container-errors.js';
import { ContainerManager, type ContainerManagerOptions } from '../../../main/core/containers/container-manager.js';
import { engineSettingsFile, loadEngineSettings, saveEngineSettings } from '../../../main/core/containers/engine-settings.js';
import { GPU_PROBE_IMAGE } from '../../../main/core/containers/preflight.js';
import { resolveProfiles } from '../../../main/core/containers/profiles.js';
import { checkDaemon, ensureLocalBase, freePort, mustHaveDocker, removeContainers } from './docker-support.js';
import { buildEngineBundles, repoRoot } from './engine-bundle.js';

const daemon = await checkDaemon();
if (!daemon.ok && !mustHaveDocker()) {
  console.warn(`\n!!! SKIPPING test/integration/containers: ${daemon.reason}.\n!!! Start dockerd (see scripts/docker/README.md) to run the engine container tests.\n`);
}

const RUN = `it-${process.pid}`;
const TEST_LABEL = 'org.adstudio.test';
const NAME = 'adstudio-engine-it';
const IMAGE = 'adstudio-engine:it';

describe.skipIf(!daemon.ok && !mustHaveDocker())('engine containers against the real Docker daemon', () => {
  let dataDir: string;
  let distDir: string;
  let port: number;
  let nanoPort: number;
  const managers: ContainerManager[] = [];
  const docker = daemon.ok ? daemon.docker : null;

  beforeAll(async () => {
    if (!daemon.ok) throw new Error(`CI must provide a Docker daemon: ${daemon.reason}`);
    await removeContainers(docker!, { names: [NAME] });
    await ensureLocalBase();
    dataDir = mkdtempSync(join(tmpdir(), 'adstudio-containers-it-'));
    // The bundle must sit inside the repository so its packages resolve from node_modules.
    // Two levels below the repository, like dist/main: the bundle finds package.json at ../../.
    distDir = await buildEngineBundles(join(repoRoot, '.tmp', `containers-${RUN}`));
    port = await freePort();
    nanoPort = await freePort();
    await saveEngineSettings(engineSettingsFile(dataDir), {
      profiles: {
        'adstudio-engine': { image: IMAGE, containerName: NAME, hostPort: port, containerPort: port, volumeHostPath: join(dataDir, 'models'), healthTimeoutSec: 60 },
        nanococoa: { hostPort: nanoPort, volumeHostPath: join(dataDir, 'hf') },
      },
    });
  }, 300_000);

  afterAll(async () => {
    for (const m of managers.splice(0)) await m.close();
    if (docker) {
      await removeContainers(docker, { label: `${TEST_LABEL}=${RUN}`, names: [NAME] });
      await docker.getImage(GPU_PROBE_IMAGE).remove().catch(() => undefined);
      // Rebuilds leave the previous engine image untagged: drop those, keep the current one for the next run.
      const dangling = await docker.listImages({ filters: { dangling: ['true'], label: ['org.adstudio.managed=true'] } });
      for (const i of dangling) await docker.getImage(i.Id).remove().catch(() => undefined);
    }
    rmSync(join(repoRoot, '.tmp', `containers-${RUN}`), { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function manager(extra: Partial<ContainerManagerOptions> = {}): Promise<ContainerManager> {
    const settings = await loadEngineSettings(engineSettingsFile(dataDir));
    const m = new ContainerManager({
      runtime: daemon.ok ? daemon.runtime : await createDockerRuntime(),
      profiles: resolveProfiles(settings, { version: 'it' }),
      dataDir,
      version: 'it',
      packageRoot: repoRoot,
      distDir,
      extraLabels: { [TEST_LABEL]: RUN },
      monitorIntervalMs: 0,
      ...extra,
    });
    managers.push(m);
    return m;
  }

  async function containersNamed(name: string) {
    return (await docker!.listContainers({ all: true })).filter((c) => c.Names.includes(`/${name}`));
  }

  function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(distDir, 'cli.mjs'), ...args], {
        env: { ...process.env, ADSTUDIO_HOME: dataDir, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  let firstId = '';

  it('builds the engine image from the Dockerfile on the local base, starts it and waits for health, streaming its logs', async () => {
    const m = await manager();
    const lines: string[] = [];
    m.onLog((l) => lines.push(l.text));
    const states: string[] = [];
    m.subscribe((s) => s.profile === 'adstudio-engine' && states.at(-1) !== s.state && states.push(s.state));
    const snap = await m.start('adstudio-engine');
    expect(snap.state).toBe('healthy');
    expect(snap.url).toBe(`http://127.0.0.1:${port}`);
    expect(states.slice(-3)).toEqual(['created', 'starting', 'healthy']);
    firstId = snap.containerId!;

    const image = await docker!.getImage(IMAGE).inspect();
    expect(image.Config.Labels).toMatchObject({ 'org.adstudio.managed': 'true', 'org.adstudio.profile': 'adstudio-engine' });
    expect(image.Config.Labels['org.adstudio.source-hash']).toMatch(/^[0-9a-f]{32}$/);

    const health = (await (await fetch(`${snap.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'healthy', engine: 'embedded' });
    // Everything but /health needs the token the manager gave the container.
    expect((await fetch(`${snap.url}/v1/info`)).status).toBe(401);
    const conn = await m.connection('adstudio-engine');
    const info = await fetch(`${snap.url}/v1/info`, { headers: { authorization: `Bearer ${conn!.token}` } });
    expect(info.status).toBe(200);

    // The server's own output came through the demultiplexed log stream, into memory and the file.
    await expect.poll(() => lines.some((l) => l.includes(`adstudio serve: http://127.0.0.1:${port}`)), { timeout: 5_000 }).toBe(true);
    await m.close();
    expect(readFileSync(m.logFile('adstudio-engine'), 'utf8')).toContain('stdout adstudio serve: http://127.0.0.1:');

    const c = await docker!.getContainer(firstId).inspect();
    expect(c.HostConfig.Init).toBe(true);
    expect(c.Config.Labels).toMatchObject({ 'org.adstudio.managed': 'true', 'org.adstudio.profile': 'adstudio-engine', [TEST_LABEL]: RUN });
    if (c.HostConfig.NetworkMode === 'host') {
      // No bridge on this daemon: the server itself binds 127.0.0.1.
      expect(c.Config.Cmd).toEqual(['serve', '--host', '127.0.0.1', '--port', String(port)]);
    } else {
      expect(c.HostConfig.PortBindings[`${port}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    }
  }, 300_000);

  it('start again (another manager, as a second app instance would) adopts it: same id, still one container', async () => {
    const m = await manager();
    const snap = await m.start('adstudio-engine');
    expect(snap).toMatchObject({ state: 'healthy', containerId: firstId, adopted: true });
    expect(await containersNamed(NAME)).toHaveLength(1);
  });

  it('the CLI adopts it too and prints the same container id; status and --json agree', async () => {
    const started = await cli(['engine', 'start', '--profile', 'adstudio-engine', '--json']);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual({ profile: 'adstudio-engine', state: 'healthy', containerId: firstId, url: `http://127.0.0.1:${port}` });
    const status = await cli(['engine', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout) as { profile: string; state: string; containerId: string | null }[];
    expect(rows.find((r) => r.profile === 'adstudio-engine')).toMatchObject({ state: 'healthy', containerId: firstId });
    expect(rows.map((r) => r.profile)).toEqual(['adstudio-engine', 'nanococoa']);
    expect(await containersNamed(NAME)).toHaveLength(1);
  });

  it('notices a killed container: healthy → error (exit 137) without being asked', async () => {
    const m = await manager({ monitorIntervalMs: 1_000 });
    expect((await m.start('adstudio-engine')).containerId).toBe(firstId);
    await docker!.getContainer(firstId).kill();
    await expect.poll(() => m.snapshot('adstudio-engine').state, { timeout: 10_000 }).toBe('error');
    expect(m.snapshot('adstudio-engine').error).toMatchObject({ reason: 'exited' });
    expect(m.snapshot('adstudio-engine').error!.message).toContain('killed (exit code 137)');
    // Starting again reuses that container rather than making another.
    const again = await m.start('adstudio-engine');
    expect(again).toMatchObject({ state: 'healthy', containerId: firstId });
    expect(await containersNamed(NAME)).toHaveLength(1);
  }, 60_000);

  it('the CLI refuses to remove a running engine: exit 1, "stop it first", the container keeps running', async () => {
    const refused = await cli(['engine', 'remove', '--profile', 'adstudio-engine']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`adstudio: error: The adstudio-engine engine's container ${NAME} is running, so it was not removed; stop it first: adstudio engine stop --profile adstudio-engine`);
    const json = await cli(['engine', 'remove', '--profile', 'adstudio-engine', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ profile: 'adstudio-engine', state: 'healthy', containerId: firstId, error: { reason: 'running' } });
    expect((await docker!.getContainer(firstId).inspect()).State.Running).toBe(true);
    expect(await containersNamed(NAME)).toHaveLength(1);
  }, 60_000);

  it('stop is graceful (SIGTERM through the init process, exit 0) and the CLI reports it', async () => {
    const stopped = await cli(['engine', 'stop', '--profile', 'adstudio-engine']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`adstudio-engine is stopped (container ${firstId})`);
    const c = await docker!.getContainer(firstId).inspect();
    expect(c.State.Status).toBe('exited');
    expect(c.State.ExitCode).toBe(0);
    const logs = (await docker!.getContainer(firstId).logs({ stdout: true, stderr: true })).toString();
    expect(logs).toContain('adstudio serve: stopped');
  }, 60_000);

  it('remove after stop: the container is gone, the image and the model volume stay; then absent, and --json says so', async () => {
    const removed = await cli(['engine', 'remove', '--profile', 'adstudio-engine']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`adstudio engine: adstudio-engine: removed container ${NAME} (${firstId}); kept the image ${IMAGE} and the model volume ${join(dataDir, 'models')}\n`);
    expect(await containersNamed(NAME)).toHaveLength(0);
    expect((await docker!.getImage(IMAGE).inspect()).RepoTags).toContain(IMAGE);
    expect(existsSync(join(dataDir, 'models'))).toBe(true);
    expect(readFileSync(join(dataDir, 'logs', 'engine-adstudio-engine.log'), 'utf8')).toContain(`adstudio-engine: removed container ${NAME}; the image ${IMAGE}`);

    const again = await cli(['engine', 'remove', '--profile', 'adstudio-engine', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ profile: 'adstudio-engine', state: 'absent', containerId: null, url: `http://127.0.0.1:${port}` });
    const status = await cli(['engine', 'status', '--json']);
    expect((JSON.parse(status.stdout) as { profile: string; state: string }[]).find((r) => r.profile === 'adstudio-engine')).toMatchObject({ state: 'absent', containerId: null });
  }, 60_000);

  it('a container made by hand under the profile name but another image is reported, never duplicated', async () => {
    await removeContainers(docker!, { names: [NAME] });
    const base = await ensureLocalBase();
    const hand = await docker!.createContainer({ name: NAME, Image: base, Cmd: ['node', '-e', 'setTimeout(() => {}, 600000)'], HostConfig: { NetworkMode: 'none' } });
    const m = await manager();
    const e = await m.start('adstudio-engine').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContainerError);
    expect((e as ContainerError).info.reason).toBe('name-taken');
    expect((e as ContainerError).message).toContain(`docker rm -f ${NAME}`);
    const same = await containersNamed(NAME);
    expect(same.map((c) => c.Id)).toEqual([hand.id]);
    await hand.remove({ force: true });
  }, 60_000);

  it('a container made by hand under the profile name with the engine image is adopted', async () => {
    const hand = await docker!.createContainer({
      name: NAME,
      Image: IMAGE,
      Cmd: ['serve', '--host', '127.0.0.1', '--port', String(port)],
      HostConfig: { NetworkMode: 'host', Init: true },
    });
    await hand.start();
    const m = await manager();
    const snap = await m.start('adstudio-engine');
    expect(snap).toMatchObject({ state: 'healthy', containerId: hand.id, adopted: true });
    expect(await containersNamed(NAME)).toHaveLength(1);
    await hand.remove({ force: true });
  }, 60_000);

  it('port already taken by another program: a clear message, nothing created', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      const m = await manager();
      const e = (await m.start('adstudio-engine').catch((x: unknown) => x)) as ContainerError;
      expect(e.info.reason).toBe('port-taken');
      expect(e.message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(await containersNamed(NAME)).toHaveLength(0);
      const viaCli = await cli(['engine', 'start', '--profile', 'adstudio-engine']);
      expect(viaCli.code).toBe(1);
      expect(viaCli.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 60_000);

  it('GPU profile without the NVIDIA runtime: the daemon\'s real refusal, said plainly, with the embedded engine offered', async () => {
    const m = await manager();
    const e = (await m.start('nanococoa').catch((x: unknown) => x)) as ContainerError;
    expect(e).toBeInstanceOf(ContainerError);
    expect(e.info.reason).toBe('no-gpu-runtime');
    expect(e.message).toMatch(/No NVIDIA GPU runtime in Docker.*could not select device driver/);
    expect(e.info.offerEmbedded).toBe(true);
    // The probe container is gone and no nanococoa container was made.
    const left = await docker!.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
    expect(left.filter((c) => c.Labels['org.adstudio.probe'] === 'gpu')).toHaveLength(0);
    expect(await containersNamed('adstudio-nanococoa')).toHaveLength(0);

    const viaCli = await cli(['engine', 'start', '--profile', 'nanococoa']);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toMatch(/No NVIDIA GPU runtime in Docker.*or use the embedded engine/);
  }, 60_000);

  it('daemon unreachable (a bogus socket): a clear error and a non-zero exit', async () => {
    const bogus = `unix://${join(dataDir, 'no-docker.sock')}`;
    const runtime = await createDockerRuntime({ env: { DOCKER_HOST: bogus } });
    const m = await manager({ runtime });
    const e = (await m.start('adstudio-engine').catch((x: unknown) => x)) as ContainerError;
    expect(e.info.reason).toBe('daemon-unreachable');
    expect(e.message).toContain(`Docker is not reachable at ${bogus}`);
    const status = await cli(['engine', 'status'], { DOCKER_HOST: bogus });
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`adstudio: error: Docker is not reachable at ${bogus}`);
    expect(status.stderr).toMatch(/Start Docker/);
  }, 60_000);

  it('image missing: says which command builds it', async () => {
    const settings = await loadEngineSettings(engineSettingsFile(dataDir));
    // Without the GPU need, nanococoa gets past preflight to the image step (its image is not here).
    settings.profiles.nanococoa = { ...settings.profiles.nanococoa, gpu: false };
    const m = await manager({ profiles: resolveProfiles(settings, { version: 'it' }) });
    const e = (await m.start('nanococoa').catch((x: unknown) => x)) as ContainerError;
    expect(e).toBeInstanceOf(ContainerError);
    expect(e.info.reason).toBe('image-missing');
    expect(e.message).toContain('The image nanococoa-aiserver:latest for the nanococoa engine is not on this Docker host');
    expect(e.info.action).toContain('docker build -t nanococoa-aiserver:latest');
    expect(await containersNamed('adstudio-nanococoa')).toHaveLength(0);
  });
});
