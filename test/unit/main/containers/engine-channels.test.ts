import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEngineSettings } from '../../../../main/core/containers/engine-settings.js';
import type { Services } from '../../../../main/core/services-types.js';
import { invokeChannels, type EventName } from '../../../../preload/contract/index.js';
import { servicesIn } from '../core/support/test-services.js';
import { fakeManager } from './fake-manager.js';
import { FakeContainerRuntime } from './fake-runtime.js';

const dirs: string[] = [];
const services: Services[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(opts: { withEngines: boolean; rt?: FakeContainerRuntime }) {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-engch-'));
  dirs.push(dir);
  const rt = opts.rt ?? new FakeContainerRuntime();
  const settings = parseEngineSettings({
    customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000 }],
    profiles: { nanococoa: { image: 'c0z0c/nanococoa:test', volumeHostPath: join(dir, 'hf') } },
  });
  const s = await servicesIn(dir, opts.withEngines ? { engines: fakeManager({ settings, dataDir: join(dir, 'data'), rt }).manager } : {});
  services.push(s);
  const events: { event: EventName; payload: unknown }[] = [];
  s.onEvent((event, payload) => events.push({ event, payload }));
  return { rt, h: s.handlers, events, services: s };
}

describe('engine channels in the services (FakeContainerRuntime, not a real daemon)', () => {
  it('lists every profile with its state, valid under the contract schema', async () => {
    const { h } = await setup({ withEngines: true });
    const list = invokeChannels.listEngines.response.parse(await h.listEngines(undefined));
    expect(list.map((e) => e.profile)).toEqual(expect.arrayContaining(['adstudio-engine', 'nanococoa', 'demo']));
    expect(list.every((e) => e.state === 'absent')).toBe(true);
  });

  it('a daemon that is down still lists the profiles, each with the reason and what to do', async () => {
    const rt = new FakeContainerRuntime();
    rt.unreachable = true;
    const { h } = await setup({ withEngines: true, rt });
    const list = await h.listEngines(undefined);
    const nano = list.find((e) => e.profile === 'nanococoa')!;
    expect(nano.state).toBe('error');
    expect(nano.error).toMatchObject({ reason: 'daemon-unreachable', offerEmbedded: true });
    expect(nano.error!.action.length).toBeGreaterThan(10);
  });

  it('start streams engineState events, ends healthy, and stop ends stopped', async () => {
    const { h, events } = await setup({ withEngines: true });
    const started = await h.startEngine({ profile: 'demo' });
    expect(started.state).toBe('healthy');
    const states = events.filter((e) => e.event === 'engineState').map((e) => (e.payload as { profile: string; state: string }));
    expect(states.filter((s) => s.profile === 'demo').map((s) => s.state)).toEqual(expect.arrayContaining(['pulling', 'starting', 'healthy']));
    expect((await h.stopEngine({ profile: 'demo' })).state).toBe('stopped');
    const logs = await h.getEngineLogs({ profile: 'demo' });
    expect(logs.file).toMatch(/engine-demo\.log$/);
    expect(logs.lines.some((l) => /healthy/.test(l.text) || /listening/.test(l.text))).toBe(true);
  });

  it('a GPU profile without the NVIDIA runtime answers with the error snapshot: action and the embedded offer', async () => {
    const { h } = await setup({ withEngines: true });
    const snap = invokeChannels.startEngine.response.parse(await h.startEngine({ profile: 'nanococoa' }));
    expect(snap.state).toBe('error');
    expect(snap.error).toMatchObject({ reason: 'no-gpu-runtime', offerEmbedded: true });
    expect(snap.error!.action).toMatch(/NVIDIA|nvidia/);
  });

  it('an unknown profile is not-found', async () => {
    const { h } = await setup({ withEngines: true });
    await expect(h.startEngine({ profile: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('without an engine manager: an empty list, and actions say Docker engines are not available here', async () => {
    const { h } = await setup({ withEngines: false });
    expect(await h.listEngines(undefined)).toEqual([]);
    await expect(h.startEngine({ profile: 'nanococoa' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/not available/) });
  });
});
