import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerError } from '../../../../main/core/containers/container-errors.js';
import type { ContainerManager, ContainerManagerOptions, EngineSnapshot } from '../../../../main/core/containers/container-manager.js';
import { parseEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { resolveProfiles } from '../../../../main/core/containers/profiles.js';
import { fakeManager } from './fake-manager.js';
import { FakeContainerRuntime } from './fake-runtime.js';

const dirs: string[] = [];
const managers: ContainerManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(extra: Partial<ContainerManagerOptions> = {}, rt = new FakeContainerRuntime(), dir?: string) {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'adstudio-cm-'));
  if (!dir) dirs.push(dataDir);
  const settings = parseEngineSettings({
    customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000, volume: { hostPath: join(dataDir, 'models'), containerPath: '/models' }, minFreeDiskGb: 10 }],
    profiles: { nanococoa: { image: 'c0z0c/nanococoa:test', volumeHostPath: join(dataDir, 'hf') } },
  });
  const { manager } = fakeManager({ settings, dataDir, rt, context: { version: 'test', workspaceHostPath: join(dataDir, 'engine-workspace') }, options: extra });
  managers.push(manager);
  const states: string[] = [manager.snapshot('demo').state];
  const snaps: EngineSnapshot[] = [];
  manager.subscribe((s) => {
    if (s.profile !== 'demo') return;
    snaps.push(s);
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  return { rt, manager, states, snaps, dataDir };
}

async function failure(p: Promise<unknown>): Promise<ContainerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ContainerError) return e;
    throw e;
  }
  throw new Error('expected a ContainerError');
}

describe('ContainerManager with FakeContainerRuntime (state machine only; the real daemon is in test/integration)', () => {
  it('cold start walks absent → pulling → created → starting → healthy and publishes on 127.0.0.1 only', async () => {
    const { rt, manager, states } = setup();
    const snap = await manager.start('demo');
    expect(states).toEqual(['absent', 'pulling', 'created', 'starting', 'healthy']);
    expect(snap).toMatchObject({ state: 'healthy', url: 'http://127.0.0.1:19000', adopted: false, network: 'publish', imageSize: 123_000_000 });
    const c = rt.containers.get(snap.containerId!)!;
    expect(c.spec!.ports).toEqual([{ hostIp: '127.0.0.1', hostPort: 19000, containerPort: 9000 }]);
    expect(c.spec!.init).toBe(true);
    expect(c.spec!.binds[0]!.containerPath).toBe('/models');
    expect(c.labels).toMatchObject({ 'org.adstudio.managed': 'true', 'org.adstudio.profile': 'demo' });
  });

  it('uses the host network (server bound to 127.0.0.1 inside) when the daemon cannot publish ports', async () => {
    const rt = new FakeContainerRuntime();
    rt.canPublishPorts = false;
    const { manager, dataDir } = setup({}, rt);
    const snap = await manager.start('adstudio-engine').catch(() => null);
    // adstudio-engine cannot be built without a source folder: the error says how to build it.
    expect(snap).toBeNull();
    expect(manager.snapshot('adstudio-engine').error).toMatchObject({ reason: 'image-missing' });
    expect(manager.snapshot('adstudio-engine').error!.action).toContain('docker build -t adstudio-engine:test .');
    rt.addImage('adstudio-engine:test');
    const ok = await manager.start('adstudio-engine');
    const spec = rt.containers.get(ok.containerId!)!.spec!;
    expect(spec.network).toBe('host');
    expect(spec.ports).toEqual([]);
    expect(spec.cmd).toEqual(['serve', '--host', '127.0.0.1', '--port', '8765']);
    expect(spec.env.ADSTUDIO_TOKEN).toMatch(/^[\w-]{43}$/);
    // The protocol's workspace: the app and the engine see the same files.
    expect(spec.binds).toContainEqual({ hostPath: join(dataDir, 'engine-workspace'), containerPath: '/workspace', readOnly: false });
    expect(spec.env.ADSTUDIO_WORKSPACE).toBe('/workspace');
    expect(existsSync(join(dataDir, 'engine-workspace'))).toBe(true);
    expect(await manager.connection('adstudio-engine')).toEqual({ url: 'http://127.0.0.1:8765', token: spec.env.ADSTUDIO_TOKEN });
    // What "Run jobs on" needs: URL, token and the workspace both sides see.
    expect(await manager.jobEndpoint('adstudio-engine')).toEqual({
      profile: 'adstudio-engine',
      title: manager.snapshot('adstudio-engine').title,
      protocol: 'adstudio-v1',
      url: 'http://127.0.0.1:8765',
      token: spec.env.ADSTUDIO_TOKEN,
      containerId: ok.containerId,
      workspace: { hostPath: join(dataDir, 'engine-workspace'), containerPath: '/workspace' },
    });
    expect(manager.jobProfiles().map((p) => [p.profile, p.protocol])).toEqual([
      ['adstudio-engine', 'adstudio-v1'],
      ['nanococoa', 'nanococoa'],
      ['demo', 'adstudio-v1'],
    ]);
  });

  it('a daemon on another machine: every profile gets the tunnel warning, and jobs are not handed to its engine (the workspace would be there)', async () => {
    const rt = new FakeContainerRuntime();
    rt.remote = true;
    rt.addImage('adstudio-engine:test');
    const { manager } = setup({}, rt);
    const ok = await manager.start('adstudio-engine');
    expect(ok.warnings.join(' ')).toMatch(/Docker runs on another machine .*needs a tunnel \(ssh -NL 8765:127\.0\.0\.1:8765 <host>\)/);
    await expect(manager.jobEndpoint('adstudio-engine')).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('runs on another machine') });
  });

  it('a second start adopts the running healthy engine: same id, no second container', async () => {
    const { rt, manager } = setup();
    const first = await manager.start('demo');
    const creates = rt.calls.filter((c) => c.startsWith('create')).length;
    const again = await manager.start('demo');
    expect(again.containerId).toBe(first.containerId);
    expect(again.state).toBe('healthy');
    expect(rt.calls.filter((c) => c.startsWith('create')).length).toBe(creates);
    expect(rt.count()).toBe(1);
  });

  it('two app instances starting at once end with one container (host lock + unique names)', async () => {
    const rt = new FakeContainerRuntime();
    rt.readyAfterMs = 30;
    const a = setup({}, rt);
    const b = setup({}, rt, a.dataDir);
    const [x, y] = await Promise.all([a.manager.start('demo'), b.manager.start('demo')]);
    expect(x.containerId).toBe(y.containerId);
    expect(rt.count((c) => c.labels['org.adstudio.profile'] === 'demo')).toBe(1);
    expect([x.adopted, y.adopted].sort()).toEqual([false, true]);
  });

  it('adopts a container made by hand under a known name with the profile image', async () => {
    const { rt, manager } = setup();
    rt.addImage('demo/engine:1');
    const id = rt.addContainer({ name: 'adstudio-demo', image: 'demo/engine:1', ports: [{ hostIp: '0.0.0.0', hostPort: 19000, containerPort: 9000 }] });
    const snap = await manager.start('demo');
    expect(snap).toMatchObject({ containerId: id, state: 'healthy', adopted: true });
    expect(rt.calls.some((c) => c.startsWith('create'))).toBe(false);
  });

  it('reports, never duplicates, a foreign container holding the profile name', async () => {
    const { rt, manager } = setup();
    rt.addImage('nginx:latest');
    rt.addContainer({ name: 'adstudio-demo', image: 'nginx:latest' }, false);
    const e = await failure(manager.start('demo'));
    expect(e.info.reason).toBe('name-taken');
    expect(e.message).toContain('docker rm -f adstudio-demo');
    expect(manager.snapshot('demo').state).toBe('error');
    expect(rt.count()).toBe(1);
  });

  it('names the container that holds the port', async () => {
    const { rt, manager } = setup();
    rt.addImage('other/app:2');
    rt.addContainer({ name: 'web', image: 'other/app:2', ports: [{ hostIp: '127.0.0.1', hostPort: 19000, containerPort: 80 }] });
    const e = await failure(manager.start('demo'));
    expect(e.info.reason).toBe('port-taken');
    expect(e.message).toContain('container "web" (other/app:2');
    expect(rt.count()).toBe(1);
  });

  it('refuses a port another program listens on, before creating anything', async () => {
    const { rt, manager } = setup({ portFree: async () => false });
    const e = await failure(manager.start('demo'));
    expect(e.info.reason).toBe('port-taken');
    expect(e.message).toContain('Port 19000 on 127.0.0.1 is already in use by another program');
    expect(e.info.action).toContain('"hostPort": 19001');
    expect(rt.count()).toBe(0);
  });

  it('GPU profile without the NVIDIA runtime: probe container says so plainly, offers the embedded engine, leaves nothing behind', async () => {
    const { rt, manager } = setup();
    const e = await failure(manager.start('nanococoa'));
    expect(e.info.reason).toBe('no-gpu-runtime');
    expect(e.info.offerEmbedded).toBe(true);
    expect(e.message).toMatch(/No NVIDIA GPU runtime in Docker/);
    expect(e.message).toContain('could not select device driver');
    expect(e.info.action).toContain('embedded engine');
    expect(rt.count()).toBe(0);
    expect(rt.calls.some((c) => c.startsWith('create adstudio-gpu-probe'))).toBe(true);
    expect(rt.calls.some((c) => c.startsWith('create adstudio-nanococoa'))).toBe(false);
    // Checked before downloading a 25 GB image that could never run.
    expect(rt.calls.some((c) => c.startsWith('pull'))).toBe(false);
  });

  it('GPU profile with the NVIDIA runtime passes the probe and requests the GPU', async () => {
    const rt = new FakeContainerRuntime();
    rt.hasNvidia = true;
    const { manager } = setup({}, rt);
    const snap = await manager.start('nanococoa');
    expect(snap.state).toBe('healthy');
    const spec = rt.containers.get(snap.containerId!)!.spec!;
    expect(spec.deviceRequests).toEqual([{ driver: 'nvidia', count: 1, capabilities: [['gpu']] }]);
    expect(spec.binds[0]).toMatchObject({ containerPath: '/root/.cache/huggingface' });
  });

  it('daemon unreachable: a clear error state with what to do', async () => {
    const rt = new FakeContainerRuntime();
    rt.unreachable = true;
    const { manager } = setup({}, rt);
    const e = await failure(manager.start('demo'));
    expect(e.info.reason).toBe('daemon-unreachable');
    expect(e.message).toContain('unix:///fake/docker.sock');
    expect(e.info.action).toMatch(/Start Docker/);
    const snap = await manager.refresh('demo');
    expect(snap.state).toBe('error');
    expect(snap.error!.reason).toBe('daemon-unreachable');
  });

  it('a server that crashes on start ends in error with its last output, not a long wait', async () => {
    const rt = new FakeContainerRuntime();
    rt.exitOnStart = 3;
    const { manager } = setup({}, rt);
    const started = Date.now();
    const e = await failure(manager.start('demo'));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(e.info.reason).toBe('exited');
    expect(e.message).toContain('exit code 3');
    expect(e.message).toContain('fatal: cannot load model');
  });

  it('health timeout: error with the log file to read, container left running', async () => {
    const rt = new FakeContainerRuntime();
    rt.readyAfterMs = null;
    const settings = parseEngineSettings({ healthTimeoutSec: 5, customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000 }] });
    const { manager, snaps } = setup({ profiles: resolveProfiles(settings, { version: 'test' }) }, rt);
    const e = await failure(manager.start('demo'));
    expect(e.info.reason).toBe('health-timeout');
    expect(e.message).toContain('within 5 s');
    expect(e.info.action).toContain('engine-demo.log');
    expect(rt.count((c) => c.status === 'running')).toBe(1);
    // The wait was visible: progress went up while starting.
    const fractions = snaps.filter((s) => s.progress?.phase === 'health').map((s) => s.progress!.fraction ?? 0);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.at(-1)!).toBeGreaterThan(fractions[0]!);
  }, 15_000);

  it('a killed engine is noticed from its log stream ending: healthy → error (exit 137)', async () => {
    const { rt, manager } = setup();
    const snap = await manager.start('demo');
    rt.kill(snap.containerId!, 137);
    await expect.poll(() => manager.snapshot('demo').state, { timeout: 2_000 }).toBe('error');
    expect(manager.snapshot('demo').error).toMatchObject({ reason: 'exited' });
    expect(manager.snapshot('demo').error!.message).toContain('killed');
  });

  it('stop goes healthy → stopping → stopped; the exit is not an error; start reuses the container', async () => {
    const { rt, manager, states } = setup();
    const first = await manager.start('demo');
    const stopped = await manager.stop('demo');
    expect(states.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(stopped.error).toBeNull();
    const again = await manager.start('demo');
    expect(again.containerId).toBe(first.containerId);
    expect(rt.count()).toBe(1);
  });

  it('restart brings the same container back; remove deletes it and leaves absent', async () => {
    const { rt, manager, states } = setup();
    const first = await manager.start('demo');
    const restarted = await manager.restart('demo');
    expect(restarted).toMatchObject({ state: 'healthy', containerId: first.containerId });
    expect(states.slice(-4)).toEqual(['stopping', 'stopped', 'starting', 'healthy']);
    const removed = await manager.remove('demo');
    expect(removed).toMatchObject({ state: 'absent', containerId: null });
    expect(rt.count()).toBe(0);
    expect(rt.images.has('demo/engine:1')).toBe(true);
  });

  it('recreates a stopped container of ours whose image was rebuilt', async () => {
    const { rt, manager } = setup();
    const first = await manager.start('demo');
    await manager.stop('demo');
    rt.addImage('demo/engine:1', 'sha256:newer');
    const again = await manager.start('demo');
    expect(again.containerId).not.toBe(first.containerId);
    expect(rt.count()).toBe(1);
  });

  it('shows the image size and the model disk before the first start (nothing created)', async () => {
    const { rt, manager } = setup({ diskFree: async (path) => ({ path, freeBytes: 42e9, minBytes: 10e9, low: false }) });
    const before = await manager.refresh('demo');
    expect(before).toMatchObject({ state: 'absent', imageSize: null, diskFree: { freeBytes: 42e9, low: false } });
    rt.addImage('demo/engine:1');
    const after = await manager.refresh('demo');
    expect(after).toMatchObject({ state: 'absent', imageSize: 123_000_000 });
    expect(rt.count()).toBe(0);
  });

  it('warns (does not fail) when the model disk has less than the profile minimum', async () => {
    const { manager } = setup({ diskFree: async (path) => ({ path, freeBytes: 3e9, minBytes: 10e9, low: true }) });
    const snap = await manager.start('demo');
    expect(snap.state).toBe('healthy');
    expect(snap.diskFree).toMatchObject({ freeBytes: 3e9, low: true });
    expect(snap.warnings.join(' ')).toContain('Only 3.0 GB free');
  });

  it('streams container output to listeners, the recent buffer and the log file', async () => {
    const { rt, manager, dataDir } = setup();
    const seen: string[] = [];
    manager.onLog((l) => seen.push(l.text));
    const snap = await manager.start('demo');
    rt.print(snap.containerId!, 'job 1 done');
    expect(seen).toContain('server: listening');
    expect(seen).toContain('job 1 done');
    expect(manager.recentLogs('demo').map((l) => l.text)).toContain('job 1 done');
    await manager.close();
    expect(readFileSync(manager.logFile('demo'), 'utf8')).toMatch(/stdout job 1 done\n/);

    // Another instance adopting it replays the tail for its panel, without writing it to the file twice.
    const other = setup({}, rt, dataDir);
    await other.manager.start('demo');
    expect(other.manager.recentLogs('demo').map((l) => l.text)).toContain('job 1 done');
    await other.manager.close();
    expect(readFileSync(manager.logFile('demo'), 'utf8').match(/stdout job 1 done/g)).toHaveLength(1);
  });

  it('on quit, "stop" stops what this app started and leaves adopted engines running', async () => {
    const rt = new FakeContainerRuntime();
    rt.addImage('c0z0c/nanococoa:test');
    const handMade = rt.addContainer({ name: 'nanococoa-aiserver', image: 'c0z0c/nanococoa:test', ports: [{ hostIp: '0.0.0.0', hostPort: 8000, containerPort: 8000 }] });
    const { manager } = setup({ onQuit: 'stop' }, rt);
    const demo = await manager.start('demo');
    const nano = await manager.start('nanococoa');
    expect(nano).toMatchObject({ containerId: handMade, adopted: true });
    await manager.close();
    expect(rt.containers.get(demo.containerId!)!.status).toBe('exited');
    expect(rt.containers.get(handMade)!.status).toBe('running');
  });

  it('settings changes reach the next start: a new port, a new custom profile, a removed one', async () => {
    const { manager } = setup();
    const settings = parseEngineSettings({ customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19100 }, { name: 'extra', image: 'x/y:1', port: 1 }] });
    manager.setProfiles(resolveProfiles(settings, { version: 'test' }).filter((p) => p.name !== 'nanococoa'));
    expect(manager.profiles().map((p) => p.name)).toEqual(['adstudio-engine', 'demo', 'extra']);
    expect(manager.snapshot('demo').url).toBe('http://127.0.0.1:19100');
    expect((await manager.start('demo')).url).toBe('http://127.0.0.1:19100');
    expect(() => manager.snapshot('nanococoa')).toThrow(/no engine profile/);
  });

  it('status of an unknown profile names the ones that exist', async () => {
    const { manager } = setup();
    expect(() => manager.snapshot('nope')).toThrow(/no engine profile "nope".*adstudio-engine, nanococoa, demo/);
  });
});
