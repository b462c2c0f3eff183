import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerManagerOptions } from '../../../../main/core/containers/container-manager.js';
import { EngineProfileStore } from '../../../../main/core/containers/engine-profile-store.js';
import type { EnginesPort } from '../../../../main/core/engines/engines-port.js';
import type { Services } from '../../../../main/core/services-types.js';
import { invokeChannels, type EngineSnapshotPayload } from '../../../../preload/contract/index.js';
import { servicesIn } from '../core/support/test-services.js';
import { engineSettingsOnDisk, fakeManager } from './fake-manager.js';

/**
 * The engine channels added for the Engines panel's Restart, Reset, quit setting and full log viewer,
 * through the real services and container manager over FakeContainerRuntime (not a real daemon; the
 * real one is exercised by test/integration/containers and the e2e).
 */
const dirs: string[] = [];
const services: Services[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SETTINGS = {
  onQuit: 'leave-running',
  modelVolumeHostPath: '/srv/models',
  customProfiles: [
    { name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000 },
    { name: 'nano', image: 'team/nanococoa:1', protocol: 'nanococoa', port: 8000, hostPort: 18000 },
  ],
};

async function setup(o: { settings?: unknown; manager?: Partial<ContainerManagerOptions>; beforeStart?: (dataDir: string) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-engops-'));
  dirs.push(dir);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  o.beforeStart?.(dataDir);
  const { file, settings } = await engineSettingsOnDisk(dataDir, o.settings ?? SETTINGS);
  const context = { version: 'test' };
  // As the editor builds it (main/adapters/docker-engines.ts): onQuit from the file at start-up.
  const { rt, manager } = fakeManager({ settings, dataDir, context, options: { onQuit: settings.onQuit, ...o.manager } });
  const engines: EnginesPort = Object.assign(manager, { profileSettings: new EngineProfileStore({ file, context, target: manager }) });
  const s = await servicesIn(dir, { engines });
  services.push(s);
  const events: EngineSnapshotPayload[] = [];
  s.onEvent((event, payload) => event === 'engineState' && events.push(payload as EngineSnapshotPayload));
  const running = () => [...rt.containers.values()].filter((c) => c.status === 'running').map((c) => c.name);
  return { rt, h: s.handlers, s, file, dataDir, events, running };
}

describe('restartEngine', () => {
  it('stops the running container and starts the same one again: stopping → stopped → starting → healthy, answered healthy', async () => {
    const { h, rt, events } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    expect(first.state).toBe('healthy');
    events.length = 0;
    rt.calls.length = 0;

    const snap = invokeChannels.restartEngine.response.parse(await h.restartEngine({ profile: 'demo' }));
    expect(snap).toMatchObject({ profile: 'demo', state: 'healthy', containerId: first.containerId, protocol: 'adstudio-v1' });
    // What the panel's badge shows, change by change, from the moment the restart stops it.
    const states = events.filter((e) => e.profile === 'demo').map((e) => e.state);
    const shown = states.slice(states.indexOf('stopping')).filter((s, i, all) => s !== all[i - 1]);
    expect(shown).toEqual(['stopping', 'stopped', 'starting', 'healthy']);
    const id = first.containerId!.slice(0, 8);
    expect(rt.calls.filter((c) => c.endsWith(id))).toEqual([`stop ${id}`, `start ${id}`]);
    expect(rt.count()).toBe(1);
  });

  it('a restart that fails in a way the manager explains answers the error snapshot with the action', async () => {
    const { h, rt } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    rt.exitOnStart = 3;
    const snap = await h.restartEngine({ profile: 'demo' });
    expect(snap).toMatchObject({ state: 'error', containerId: first.containerId });
    expect(snap.error?.reason).toBe('exited');
    expect(snap.error?.action.length).toBeGreaterThan(10);
  });

  it('an unknown profile is not-found', async () => {
    const { h } = await setup();
    await expect(h.restartEngine({ profile: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('resetEngine (nanoCocoa POST /server-reset)', () => {
  it('sends the reset to the profile\'s address and notes it in the engine log', async () => {
    const asked: string[] = [];
    const { h } = await setup({ manager: { serverReset: async (url) => void asked.push(url) } });
    const snap = invokeChannels.resetEngine.response.parse(await h.resetEngine({ profile: 'nano' }));
    expect(asked).toEqual(['http://127.0.0.1:18000']);
    expect(snap).toMatchObject({ profile: 'nano', protocol: 'nanococoa' });
    const logs = await h.getEngineLogs({ profile: 'nano', limit: 10 });
    expect(logs.lines.map((l) => l.text).join('\n')).toMatch(/reset the nanoCocoa server at http:\/\/127\.0\.0\.1:18000/);
  });

  it('is refused for engines that do not speak nanoCocoa, without sending anything', async () => {
    const asked: string[] = [];
    const { h } = await setup({ manager: { serverReset: async (url) => void asked.push(url) } });
    await expect(h.resetEngine({ profile: 'demo' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/does not speak the nanoCocoa protocol.*restart it instead/) });
    await expect(h.resetEngine({ profile: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    expect(asked).toEqual([]);
  });

  it('a server that cannot be reached: an error that says where and what to do; the engine\'s state is not touched', async () => {
    const { h } = await setup({ manager: { serverReset: async () => Promise.reject(new Error('cannot reach the nanoCocoa server (ECONNREFUSED)')) } });
    await expect(h.resetEngine({ profile: 'nano' })).rejects.toMatchObject({
      code: 'engine',
      message: expect.stringMatching(/Could not reset the nano engine at http:\/\/127\.0\.0\.1:18000: .*ECONNREFUSED.*start it first \(npx adstudio engine start --profile nano\)/),
    });
    expect((await h.listEngines(undefined)).find((e) => e.profile === 'nano')?.state).toBe('absent');
  });
});

describe('setEngineOnQuit: the Engines panel\'s "When adstudio quits" setting', () => {
  it('writes onQuit to engines.json atomically, keeps the rest as written, and getEngineSettings says it', async () => {
    const { h, file, dataDir } = await setup();
    expect((await h.getEngineSettings(undefined)).onQuit).toBe('leave-running');
    const view = invokeChannels.setEngineOnQuit.response.parse(await h.setEngineOnQuit({ onQuit: 'stop' }));
    expect(view.onQuit).toBe('stop');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...SETTINGS, onQuit: 'stop' });
    expect(readdirSync(dataDir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect((await h.getEngineSettings(undefined)).onQuit).toBe('stop');
  });

  it('"stop" chosen while running is used at quit, without a restart: the engine adstudio started stops', async () => {
    const { h, s, running } = await setup();
    await h.startEngine({ profile: 'demo' });
    await h.setEngineOnQuit({ onQuit: 'stop' });
    expect(running()).toEqual(['adstudio-demo']);
    await s.dispose();
    expect(running()).toEqual([]);
  });

  it('"leave running" chosen while running (the file said stop) leaves it running at quit', async () => {
    const { h, s, running } = await setup({ settings: { ...SETTINGS, onQuit: 'stop' } });
    await h.startEngine({ profile: 'demo' });
    await h.setEngineOnQuit({ onQuit: 'leave-running' });
    await s.dispose();
    expect(running()).toEqual(['adstudio-demo']);
  });

  it('a damaged engines.json is refused, not overwritten', async () => {
    const { h, file } = await setup();
    writeFileSync(file, '{ "onQuit": "stop", ');
    await expect(h.setEngineOnQuit({ onQuit: 'stop' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/not valid JSON.*Nothing was changed/) });
    expect(readFileSync(file, 'utf8')).toBe('{ "onQuit": "stop", ');
  });

  it('a value outside the two choices never reaches the handler', () => {
    expect(invokeChannels.setEngineOnQuit.request.safeParse({ onQuit: 'sometimes' }).success).toBe(false);
  });
});

describe('getEngineLogs reads the log files on disk', () => {
  it('answers the last 2000 of 3000 lines written by earlier sessions (memory has none of them), and says more exist', async () => {
    const t0 = Date.parse('2025-03-04T05:06:07.000Z');
    const { h } = await setup({
      beforeStart: (dataDir) => {
        mkdirSync(join(dataDir, 'logs'));
        const line = (i: number) => `${new Date(t0 + i).toISOString()} stdout step ${i}\n`;
        writeFileSync(join(dataDir, 'logs', 'engine-demo.log.1'), Array.from({ length: 1500 }, (_, i) => line(i)).join(''));
        writeFileSync(join(dataDir, 'logs', 'engine-demo.log'), Array.from({ length: 1500 }, (_, i) => line(1500 + i)).join(''));
      },
    });
    const r = invokeChannels.getEngineLogs.response.parse(await h.getEngineLogs({ profile: 'demo', limit: 2000 }));
    expect(r.lines).toHaveLength(2000);
    expect(r.lines[0]).toMatchObject({ text: 'step 1000', at: t0 + 1000 });
    expect(r.lines.at(-1)).toMatchObject({ text: 'step 2999' });
    expect(r.more).toBe(true);
    expect(r.file).toMatch(/engine-demo\.log$/);
    const all = await h.getEngineLogs({ profile: 'demo', limit: 4000 });
    expect(all.lines).toHaveLength(3000);
    expect(all.more).toBe(false);
  });
});
