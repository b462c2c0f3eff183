import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineHandlers } from '../../../../main/core/engines/engine-handlers.js';
import type { Services } from '../../../../main/core/services-types.js';
import { invokeChannels, type EngineSnapshotPayload } from '../../../../preload/contract/index.js';
import { servicesIn } from '../core/support/test-services.js';
import { engineSettingsOnDisk, fakeManager } from './fake-manager.js';

/**
 * The removeEngine channel (the Engines panel's "Remove container") through the real services and
 * container manager over FakeContainerRuntime; the real daemon is exercised by
 * test/integration/containers/engine-containers.test.ts (`adstudio engine remove`).
 */
const dirs: string[] = [];
const services: Services[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-engremove-'));
  dirs.push(dir);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const models = join(dir, 'models');
  const { settings } = await engineSettingsOnDisk(dataDir, { customProfiles: [{ name: 'demo', image: 'demo/engine:1', port: 9000, hostPort: 19000, volume: { hostPath: models, containerPath: '/models' } }] });
  const { rt, manager } = fakeManager({ settings, dataDir });
  const s = await servicesIn(dir, { engines: manager });
  services.push(s);
  const events: EngineSnapshotPayload[] = [];
  s.onEvent((event, payload) => event === 'engineState' && events.push(payload as EngineSnapshotPayload));
  const demo = () => [...rt.containers.values()].filter((c) => c.name === 'adstudio-demo').map((c) => ({ id: c.id, status: c.status }));
  const logText = async () => (await s.handlers.getEngineLogs({ profile: 'demo', limit: 50 })).lines.map((l) => l.text).join('\n');
  return { rt, h: s.handlers, events, demo, logText, models };
}

describe('removeEngine', () => {
  it('deletes a stopped container: answered and shown "absent", the image stays, the log says what was kept; Start then makes a fresh one', async () => {
    const { h, rt, events, demo, logText, models } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    await h.stopEngine({ profile: 'demo' });
    expect(demo()).toEqual([{ id: first.containerId, status: 'exited' }]);
    events.length = 0;

    const snap = invokeChannels.removeEngine.response.parse(await h.removeEngine({ profile: 'demo' }));
    expect(snap).toMatchObject({ profile: 'demo', state: 'absent', containerId: null, containerName: null, error: null });
    expect(demo()).toEqual([]);
    expect(rt.images.has('demo/engine:1')).toBe(true);
    // The panel's row follows the event stream: its last word on the profile is "absent".
    expect(events.filter((e) => e.profile === 'demo').at(-1)?.state).toBe('absent');
    expect(await logText()).toContain(`demo: removed container adstudio-demo; the image demo/engine:1 and the model volume ${models} are kept`);

    const again = await h.startEngine({ profile: 'demo' });
    expect(again.state).toBe('healthy');
    expect(again.containerId).not.toBe(first.containerId);
    expect(demo()).toHaveLength(1);
    // The image was there: nothing pulled the second time.
    expect(rt.calls.filter((c) => c.startsWith('pull'))).toHaveLength(1);
  });

  it('refuses a running engine and leaves it running: "stop it first", no stop or remove sent to Docker', async () => {
    const { h, rt, demo } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    rt.calls.length = 0;
    await expect(h.removeEngine({ profile: 'demo' })).rejects.toMatchObject({
      code: 'engine',
      message: "The demo engine's container adstudio-demo is running, so it was not removed; stop it first: adstudio engine stop --profile demo",
    });
    expect(demo()).toEqual([{ id: first.containerId, status: 'running' }]);
    expect(rt.calls.filter((c) => c.startsWith('stop') || c.startsWith('remove'))).toEqual([]);
    const [after] = (await h.listEngines(undefined)).filter((e) => e.profile === 'demo');
    expect(after).toMatchObject({ state: 'healthy', containerId: first.containerId, error: null });
  });

  it('refuses an unhealthy engine shown as "error" whose container still runs (Docker\'s word, not the badge)', async () => {
    const { h, rt, demo } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    // Up for an hour, then its server stops answering /health (a fresh one would count as "starting").
    Object.assign(rt.containers.get(first.containerId!)!, { ready: false, startedAt: new Date(Date.now() - 3_600_000).toISOString() });
    for (let i = 0; i < 3; i++) await h.listEngines(undefined);
    expect((await h.listEngines(undefined)).find((e) => e.profile === 'demo')).toMatchObject({ state: 'error', error: { reason: 'unhealthy' } });

    await expect(h.removeEngine({ profile: 'demo' })).rejects.toMatchObject({ code: 'engine', message: expect.stringMatching(/is running, so it was not removed; stop it first: adstudio engine stop --profile demo$/) });
    expect(demo()).toEqual([{ id: first.containerId, status: 'running' }]);

    // Stopping it (offered in the row for an engine in error) and removing then works.
    expect((await h.stopEngine({ profile: 'demo' })).state).toBe('stopped');
    expect((await h.removeEngine({ profile: 'demo' })).state).toBe('absent');
    expect(demo()).toEqual([]);
  });

  it('deletes the container of an engine that crashed (state "error", exit 137)', async () => {
    const { h, rt, demo } = await setup();
    const first = await h.startEngine({ profile: 'demo' });
    rt.kill(first.containerId!, 137);
    expect((await h.listEngines(undefined)).find((e) => e.profile === 'demo')).toMatchObject({ state: 'error', error: { reason: 'exited' } });
    const snap = await h.removeEngine({ profile: 'demo' });
    expect(snap).toMatchObject({ state: 'absent', containerId: null, error: null });
    expect(demo()).toEqual([]);
  });

  it('with no container it answers "absent" and asks Docker to remove nothing', async () => {
    const { h, rt } = await setup();
    const snap = await h.removeEngine({ profile: 'demo' });
    expect(snap).toMatchObject({ state: 'absent', containerId: null });
    expect(rt.calls.filter((c) => c.startsWith('remove'))).toEqual([]);
  });

  it('Docker unreachable: the answer is the row in "error" with what to do; an unknown profile is not-found', async () => {
    const { h, rt } = await setup();
    rt.unreachable = true;
    const snap = await h.removeEngine({ profile: 'demo' });
    expect(snap).toMatchObject({ state: 'error', error: { reason: 'daemon-unreachable', offerEmbedded: true } });
    expect(snap.error?.action).toMatch(/Start Docker/);
    await expect(h.removeEngine({ profile: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('where Docker engines are not offered, the channel says so', async () => {
    const { handlers } = engineHandlers(undefined, () => {});
    await expect(handlers.removeEngine({ profile: 'demo' })).rejects.toMatchObject({ code: 'unsupported' });
    expect(invokeChannels.removeEngine.request.safeParse({}).success).toBe(false);
  });
});
