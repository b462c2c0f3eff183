import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerManager, EngineSnapshot } from '../../../../main/core/containers/container-manager.js';
import { EngineProfileStore } from '../../../../main/core/containers/engine-profile-store.js';
import { engineHandlers } from '../../../../main/core/engines/engine-handlers.js';
import type { EnginesPort } from '../../../../main/core/engines/engines-port.js';
import { dispatch } from '../../../../main/core/rpc/dispatch.js';
import { invokeChannels, type Handlers } from '../../../../preload/contract/index.js';
import { engineSettingsOnDisk, fakeManager } from './fake-manager.js';

const dirs: string[] = [];
const managers: ContainerManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** What a person wrote by hand before ever opening the panel: must survive every change from the panel. */
const HAND_WRITTEN = {
  modelVolumeHostPath: '/srv/models',
  onQuit: 'stop',
  profiles: { nanococoa: { image: 'c0z0c/nanococoa:test', hostPort: 8100 } },
  customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000, command: ['serve', '--port', '{port}'] }],
};

/** `initial` null: no engines.json yet. */
async function setup(initial: unknown = HAND_WRITTEN) {
  const dataDir = mkdtempSync(join(tmpdir(), 'adstudio-profiles-'));
  dirs.push(dataDir);
  const { file, settings } = await engineSettingsOnDisk(dataDir, initial);
  const context = { version: 'test' };
  const notes: string[] = [];
  const { rt, manager } = fakeManager({ settings, dataDir, context, options: { log: (m) => notes.push(m) } });
  managers.push(manager);
  const store = new EngineProfileStore({ file, context, target: manager, log: (m) => notes.push(m) });
  const events: EngineSnapshot[] = [];
  manager.subscribe((s) => events.push(s));
  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { customProfiles: Record<string, unknown>[] };
  return { rt, manager, store, file, dataDir, notes, events, onDisk };
}

const extra = { name: 'upscaler', image: 'team/upscaler:2', port: 7000, healthPath: '/ping', env: { MODEL: 'x4', HF_TOKEN: 'hf_secret_value_123' }, gpu: true, minFreeDiskGb: 40, healthTimeoutSec: 900 };

describe('custom engine profiles written from the panel (engines.json + manager reload)', () => {
  it('adding writes the profile atomically, keeps everything else in the file as written, and the manager lists it at once', async () => {
    const { store, manager, onDisk, dataDir, events } = await setup();
    const change = await store.save(extra, 'add');
    expect(change).toMatchObject({ profile: 'upscaler', keptRunning: null, restartToApply: false });
    expect(change.settings.customProfiles.map((p) => p.name)).toEqual(['demo', 'upscaler']);

    const file = onDisk();
    expect(file.modelVolumeHostPath).toBe('/srv/models');
    expect(file.onQuit).toBe('stop');
    expect(file.profiles).toEqual(HAND_WRITTEN.profiles);
    // The hand-written profile stays exactly as written (its command too); the new one without defaults.
    expect(file.customProfiles[0]).toEqual(HAND_WRITTEN.customProfiles[0]);
    expect(file.customProfiles[1]).toEqual({ ...extra, protocol: 'adstudio-v1' });
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expect(manager.profiles().map((p) => p.name)).toEqual(['adstudio-engine', 'nanococoa', 'demo', 'upscaler']);
    expect(manager.snapshot('upscaler')).toMatchObject({ state: 'absent', url: 'http://127.0.0.1:7000', gpu: true, image: 'team/upscaler:2' });
    expect(events.map((e) => e.profile)).toEqual(['upscaler']);
  });

  it('environment values never reach the log, only their names', async () => {
    const { store, notes } = await setup();
    await store.save(extra, 'add');
    await store.save({ ...extra, env: { HF_TOKEN: 'hf_other_secret_456' } }, 'edit');
    await store.remove('upscaler');
    const log = notes.join('\n');
    expect(log).toMatch(/added the custom engine "upscaler".*env MODEL, HF_TOKEN/);
    expect(log).not.toMatch(/hf_secret_value_123|hf_other_secret_456|x4/);
  });

  it('refuses a built-in name, a taken name, a container name of another engine, and bad values — naming the field, writing nothing', async () => {
    const { store, file } = await setup();
    const before = readFileSync(file, 'utf8');
    await expect(store.save({ ...extra, name: 'nanococoa' }, 'add')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/"nanococoa" is the name of a built-in engine.*choose another name/) });
    await expect(store.save({ ...extra, name: 'demo' }, 'add')).rejects.toThrow(/An engine named "demo" already exists; choose another name, or edit that one/);
    // "engine" would run as adstudio-engine: the built-in's container, which it would then adopt.
    await expect(store.save({ ...extra, name: 'engine' }, 'add')).rejects.toThrow(/container "adstudio-engine", which the "adstudio-engine" engine uses/);
    await expect(store.save({ ...extra, name: 'Bad Name', port: 0 }, 'add')).rejects.toThrow(/name: lowercase letters.*port: /);
    await expect(store.save({ ...extra, healthPath: 'ping' }, 'add')).rejects.toThrow(/healthPath/);
    await expect(store.save({ ...extra, name: 'ghost' }, 'edit')).rejects.toMatchObject({ code: 'not-found' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a damaged engines.json is never overwritten: the change is refused with what to do', async () => {
    const { store, file } = await setup();
    writeFileSync(file, '{ "customProfiles": [ ');
    await expect(store.save(extra, 'add')).rejects.toThrow(/not valid JSON.*fix it or move it aside.*Nothing was changed/);
    writeFileSync(file, JSON.stringify({ onQuit: 'sometimes' }));
    await expect(store.save(extra, 'add')).rejects.toThrow(/onQuit.*nothing was changed/);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ onQuit: 'sometimes' }));
  });

  it('works without an engines.json yet (creates it)', async () => {
    const { store, onDisk, manager } = await setup(null);
    await store.save({ name: 'tiny', image: 'x/tiny:1', port: 5000 }, 'add');
    expect(onDisk()).toEqual({ customProfiles: [{ name: 'tiny', image: 'x/tiny:1', protocol: 'adstudio-v1', port: 5000, healthPath: '/health' }] });
    expect(manager.snapshot('tiny').state).toBe('absent');
  });

  it('editing a running engine leaves its container alone, says a restart applies it, and the restart does', async () => {
    const { store, manager, rt, events } = await setup();
    const running = await manager.start('demo');
    rt.addImage('c0z0c/nanococoa:test');
    const handMade = rt.addContainer({ name: 'nanococoa-aiserver', image: 'c0z0c/nanococoa:test', ports: [{ hostIp: '127.0.0.1', hostPort: 8100, containerPort: 8000 }] });
    const nano = await manager.start('nanococoa');
    expect(nano.containerId).toBe(handMade);
    events.length = 0;

    const demo = (await store.read()).customProfiles.find((p) => p.name === 'demo')!;
    const change = await store.save({ ...demo, env: { MODE: 'fast' }, title: 'Demo engine' }, 'edit');
    expect(change.restartToApply).toBe(true);
    // Same container, still running and healthy; the unchanged nanococoa profile was not touched at all.
    expect(manager.snapshot('demo')).toMatchObject({ state: 'healthy', containerId: running.containerId, title: 'Demo engine' });
    expect(rt.containers.get(running.containerId!)!.status).toBe('running');
    expect(manager.snapshot('nanococoa')).toMatchObject({ state: 'healthy', containerId: handMade });
    expect(events.map((e) => e.profile)).toEqual(['demo']);

    // Restart: the stopped container was made from the old settings, so a new one is created with the new env.
    const restarted = await manager.restart('demo');
    expect(restarted.containerId).not.toBe(running.containerId);
    expect(rt.containers.has(running.containerId!)).toBe(false);
    expect(rt.containers.get(restarted.containerId!)!.spec!.env.MODE).toBe('fast');
    expect(rt.count((c) => c.name === 'adstudio-demo')).toBe(1);
  });

  it('restarting an unchanged engine keeps its container (the spec label matches)', async () => {
    const { manager } = await setup();
    const first = await manager.start('demo');
    const again = await manager.restart('demo');
    expect(again.containerId).toBe(first.containerId);
  });

  it('deleting a running custom engine leaves its container running and says so; built-ins cannot be deleted', async () => {
    const { store, manager, rt, onDisk, events } = await setup();
    const running = await manager.start('demo');
    const change = await store.remove('demo');
    expect(change).toMatchObject({ profile: 'demo', keptRunning: 'adstudio-demo', restartToApply: false });
    expect(rt.containers.get(running.containerId!)!.status).toBe('running');
    expect(manager.profiles().map((p) => p.name)).toEqual(['adstudio-engine', 'nanococoa']);
    expect(onDisk().customProfiles).toEqual([]);
    expect(onDisk().profiles).toEqual(HAND_WRITTEN.profiles);

    // Its log stream ending later must not bring the row back.
    events.length = 0;
    rt.kill(running.containerId!);
    await new Promise((r) => setTimeout(r, 120));
    expect(events.filter((e) => e.profile === 'demo')).toEqual([]);

    await expect(store.remove('nanococoa')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/"nanococoa" is a built-in engine and cannot be deleted/) });
    await expect(store.remove('demo')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('deleting a stopped engine keeps nothing running; adding it back finds its old container', async () => {
    const { store, manager, rt } = await setup();
    const first = await manager.start('demo');
    await manager.stop('demo');
    const demo = (await store.read()).customProfiles[0]!;
    expect((await store.remove('demo')).keptRunning).toBeNull();
    await store.save(demo, 'add');
    const again = await manager.start('demo');
    expect(again.containerId).toBe(first.containerId);
    expect(rt.count((c) => c.name === 'adstudio-demo')).toBe(1);
  });

  it('two changes at once are applied one after the other (neither is lost)', async () => {
    const { store, onDisk } = await setup();
    await Promise.all([store.save({ ...extra, name: 'one', port: 7001 }, 'add'), store.save({ ...extra, name: 'two', port: 7002 }, 'add')]);
    expect(onDisk().customProfiles.map((p) => p.name)).toEqual(['demo', 'one', 'two']);
  });
});

describe('the profile channels over IPC (dispatch → contract → handlers → store → manager)', () => {
  async function channels() {
    const s = await setup();
    const port: EnginesPort = Object.assign(s.manager, { profileSettings: s.store });
    const { handlers, dispose } = engineHandlers(port, () => {});
    const call = (channel: string, payload?: unknown) => dispatch(handlers as unknown as Handlers, channel, payload, () => {});
    return { ...s, call, dispose };
  }

  it('getEngineSettings, saveEngineProfile, deleteEngineProfile answer in the contract\'s shapes', async () => {
    const { call } = await channels();
    const view = await call('getEngineSettings');
    expect(view.ok).toBe(true);
    const settings = invokeChannels.getEngineSettings.response.parse(view.ok ? view.value : null);
    expect(settings.builtins.map((b) => b.name)).toEqual(['adstudio-engine', 'nanococoa']);
    expect(settings.customProfiles.map((p) => p.name)).toEqual(['demo']);

    const saved = await call('saveEngineProfile', { profile: extra });
    expect(saved.ok).toBe(true);
    const change = invokeChannels.saveEngineProfile.response.parse(saved.ok ? saved.value : null);
    expect(change.engines.map((e) => e.profile)).toContain('upscaler');

    const deleted = await call('deleteEngineProfile', { name: 'upscaler' });
    const after = invokeChannels.deleteEngineProfile.response.parse(deleted.ok ? deleted.value : null);
    expect(after.engines.map((e) => e.profile)).not.toContain('upscaler');
  });

  it('a bad profile is refused by the contract with the field named, before anything is written', async () => {
    const { call, file } = await channels();
    const before = readFileSync(file, 'utf8');
    const r = await call('saveEngineProfile', { profile: { ...extra, port: 70_000, env: { 'NOT OK': 'v' } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/profile\.port/) });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('without a settings store the channels say so; memory of an engine that is not running is a clear error', async () => {
    const s = await setup();
    const { handlers } = engineHandlers(s.manager, () => {});
    await expect(handlers.getEngineSettings(undefined)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(handlers.getEngineMemory({ profile: 'demo' })).rejects.toThrow(/not running/);
    await expect(handlers.getEngineMemory({ profile: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
