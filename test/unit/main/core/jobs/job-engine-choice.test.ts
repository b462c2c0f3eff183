import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineSnapshotPayload, JobEngineViewPayload } from '../../../../../preload/contract/index.js';
import type { EnginesPort, JobEndpoint } from '../../../../../main/core/engines/engines-port.js';
import { JobEngineChoice, jobEngineFile } from '../../../../../main/core/jobs/job-engine-choice.js';
import { SchedulerHub } from '../../../../../main/core/jobs/scheduler-hub.js';
import type { SchedulerPort } from '../../../../../main/core/jobs/scheduler-handlers.js';
import type { SchedulerEvent } from '../../../../../main/core/scheduler/scheduler-types.js';
import { chain, testEngine, testScheduler, until } from '../scheduler/sim-harness.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A real scheduler over the simulated test engine, as one engine of the hub. */
async function member(engine: string, workspace: string, timeScale = 1): Promise<SchedulerPort & { workspace: string; closed: () => boolean }> {
  const sim = testEngine({ timeScale });
  const scheduler = await testScheduler(sim);
  let closed = false;
  return {
    scheduler,
    engine,
    workspace,
    close: async () => {
      await sim.close();
      closed = true;
    },
    closed: () => closed,
  };
}

/**
 * The container manager's side as the choice sees it: snapshots pushed by the test, one adstudio and
 * one nanoCocoa profile. A test double for the Docker-backed manager (the real one is exercised by
 * test/integration/containers/job-engine.test.ts against the real daemon).
 */
function enginesDouble() {
  const listeners = new Set<(s: EngineSnapshotPayload) => void>();
  const snaps = new Map<string, EngineSnapshotPayload>();
  const snap = (profile: string, state: EngineSnapshotPayload['state'], containerId: string | null = null): EngineSnapshotPayload => ({
    profile,
    title: profile === 'gpu' ? 'GPU engine' : 'nanoCocoa',
    state,
    health: null,
    port: 8765,
    url: 'http://127.0.0.1:8765',
    containerId,
    containerName: containerId ? `c-${containerId}` : null,
    image: 'img',
    imageSize: null,
    diskFree: null,
    gpu: true,
    network: null,
    adopted: false,
    progress: null,
    error: null,
    warnings: [],
    updatedAt: Date.now(),
  });
  for (const p of ['gpu', 'nano']) snaps.set(p, snap(p, 'absent'));
  let refreshed = 0;
  const port = {
    snapshot: (name: string) => snaps.get(name)!,
    subscribe: (l: (s: EngineSnapshotPayload) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    refresh: async (name: string) => {
      refreshed++;
      return snaps.get(name)!;
    },
    jobProfiles: () => [
      { profile: 'gpu', title: 'GPU engine', protocol: 'adstudio-v1' as const },
      { profile: 'nano', title: 'nanoCocoa', protocol: 'nanococoa' as const },
    ],
    jobEndpoint: async (name: string): Promise<JobEndpoint | null> => {
      const s = snaps.get(name)!;
      if (!s.containerId) return null;
      return { profile: name, title: s.title, protocol: 'adstudio-v1', url: s.url, token: 't', containerId: s.containerId, workspace: null };
    },
  } as unknown as EnginesPort;
  return {
    port,
    refreshed: () => refreshed,
    set(profile: string, state: EngineSnapshotPayload['state'], containerId: string | null = null) {
      const s = snap(profile, state, containerId);
      snaps.set(profile, s);
      for (const l of listeners) l(s);
    },
  };
}

async function setUp(options: { failConnect?: boolean } = {}) {
  const dir = await tempDir();
  const base = await member('embedded', join(dir, 'work'));
  const hub = new SchedulerHub(base, 'base');
  const engines = enginesDouble();
  const connected: Array<{ endpoint: JobEndpoint; port: Awaited<ReturnType<typeof member>> }> = [];
  const open = () =>
    JobEngineChoice.open({
      hub,
      engines: engines.port,
      file: jobEngineFile(dir),
      connect: async (endpoint) => {
        if (options.failConnect) throw new Error('connection refused');
        const port = await member(endpoint.profile, join(dir, 'engine-workspace'));
        connected.push({ endpoint, port });
        return port;
      },
    });
  const choice = await open();
  const views: JobEngineViewPayload[] = [];
  choice.subscribe((v) => views.push(v));
  return { dir, base, hub, engines, connected, choice, views, open };
}

describe('Run jobs on: the app scheduler follows the chosen container engine', () => {
  it('starts on the embedded engine and offers the profiles that can run jobs', async () => {
    const { choice, hub } = await setUp();
    expect(choice.view()).toEqual({
      choice: 'embedded',
      active: 'embedded',
      status: 'embedded',
      message: null,
      options: [
        { profile: 'gpu', title: 'GPU engine', protocol: 'adstudio-v1' },
        { profile: 'nano', title: 'nanoCocoa', protocol: 'nanococoa' },
      ],
    });
    await hub.close();
  });

  it('a chosen engine that is not running: jobs keep running on the embedded engine, and the view says why', async () => {
    const { dir, choice, hub } = await setUp();
    const view = await choice.choose('gpu');
    expect(view).toMatchObject({ choice: 'gpu', active: 'embedded', status: 'waiting' });
    expect(view.message).toContain('GPU engine is absent: new jobs run on the embedded engine until it is healthy');
    const job = await hub.port.scheduler.submit(chain('erase', [null], dir, 'interactive'));
    expect(job.engine).toBe('embedded');
    await until(() => hub.port.scheduler.get(job.id)?.status === 'done');
    // The choice is kept for the next start.
    expect(JSON.parse(await readFile(jobEngineFile(dir), 'utf8'))).toEqual({ choice: 'gpu' });
    await hub.close();
  });

  it('when the chosen engine becomes healthy new jobs go to it; earlier jobs stay listed with their engine; a stop falls back', async () => {
    const { dir, choice, hub, engines, connected, views } = await setUp();
    const before = await hub.port.scheduler.submit(chain('first', [null], dir));
    await until(() => hub.port.scheduler.get(before.id)?.status === 'done');
    await choice.choose('gpu');

    engines.set('gpu', 'starting', 'c1');
    expect(connected).toHaveLength(0);
    engines.set('gpu', 'healthy', 'c1');
    await until(() => choice.view().status === 'connected');
    expect(connected.map((c) => c.endpoint.containerId)).toEqual(['c1']);
    expect(views.map((v) => v.status)).toEqual(expect.arrayContaining(['waiting', 'connecting', 'connected']));
    expect(hub.port.engine).toBe('gpu');
    expect(hub.target()).toMatchObject({ engine: 'gpu', workspace: join(dir, 'engine-workspace') });

    const on = await hub.port.scheduler.submit(chain('second', ['A', null], dir));
    expect(on.engine).toBe('gpu');
    await until(() => hub.port.scheduler.get(on.id)?.status === 'done');
    // The container's scheduler ran it (its model is resident there, not on the embedded one).
    expect(connected[0]!.port.scheduler.get(on.id)?.status).toBe('done');
    expect(hub.port.scheduler.memory().resident.map((m) => m.id)).toEqual(['A']);
    const listed = hub.port.scheduler.list();
    expect(listed.map((j) => [j.spec.title, j.engine])).toEqual([
      ['second', 'gpu'],
      ['first', 'embedded'],
    ]);

    // The container stops: the embedded engine takes new jobs, the container's jobs stay listed.
    engines.set('gpu', 'stopped', 'c1');
    await until(() => choice.view().status === 'waiting');
    expect(hub.port.engine).toBe('embedded');
    expect(hub.port.scheduler.memory().resident).toEqual([]);
    expect(hub.port.scheduler.list().map((j) => j.engine)).toEqual(['gpu', 'embedded']);

    // Healthy again, same container: the same connection serves again.
    engines.set('gpu', 'healthy', 'c1');
    await until(() => choice.view().status === 'connected');
    expect(connected).toHaveLength(1);

    // Another container (recreated): the old connection is closed, a new one made.
    engines.set('gpu', 'healthy', 'c2');
    await until(() => connected.length === 2 && choice.view().status === 'connected');
    expect(connected[0]!.port.closed()).toBe(true);
    expect(connected[1]!.endpoint.containerId).toBe('c2');
    await hub.close();
    expect(connected[1]!.port.closed()).toBe(true);
  });

  it('cancel and retry reach the job on its own engine; only the active engine reports memory', async () => {
    const { dir, base, choice, hub, engines } = await setUp();
    await choice.choose('gpu');
    engines.set('gpu', 'healthy', 'c1');
    await until(() => choice.view().status === 'connected');
    const events: SchedulerEvent[] = [];
    hub.port.scheduler.subscribe((e) => events.push(e));

    // Long enough to cancel mid-way (D: 6 steps at timeScale 1 = 30 ms; slowed below).
    const slow = await member('gpu', dir, 20);
    await hub.remove('gpu');
    hub.add('gpu', slow);
    hub.activate('gpu');
    const job = await hub.port.scheduler.submit(chain('long', ['D'], dir));
    await until(() => (hub.port.scheduler.get(job.id)?.stages[0]?.step ?? 0) >= 1);
    const cancelled = await hub.port.scheduler.cancel(job.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', engine: 'gpu' });
    const again = await hub.port.scheduler.retry(job.id);
    expect(again.engine).toBe('gpu');
    expect(slow.scheduler.get(again.id)).not.toBeNull();
    await hub.port.scheduler.cancel(again.id);

    // Memory of the embedded scheduler does not reach the bar while the container engine is active.
    const direct = await base.scheduler.submit(chain('direct', ['C'], dir));
    await until(() => base.scheduler.get(direct.id)?.status === 'done');
    expect(base.scheduler.memory().resident.map((m) => m.id)).toEqual(['C']);
    const residentSeen = events.flatMap((e) => (e.type === 'memory' ? e.memory.resident.map((m) => m.id) : []));
    expect(residentSeen).toContain('D');
    expect(residentSeen).not.toContain('C');
    await expect(hub.port.scheduler.cancel('no-such-job')).rejects.toMatchObject({ code: 'not-found' });
    await hub.close();
  });

  it('a failed connection says why and leaves the embedded engine in charge', async () => {
    const { choice, hub, engines } = await setUp({ failConnect: true });
    await choice.choose('gpu');
    engines.set('gpu', 'healthy', 'c1');
    await until(() => choice.view().status === 'error');
    expect(choice.view()).toMatchObject({ active: 'embedded', choice: 'gpu' });
    expect(choice.view().message).toBe('Could not connect to GPU engine: connection refused. New jobs run on the embedded engine.');
    await hub.close();
  });

  it('refuses an engine that cannot run jobs, and changes nothing', async () => {
    const { dir, choice, hub } = await setUp();
    await expect(choice.choose('generic-thing')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('choose one of embedded, gpu, nano') });
    expect(choice.view().choice).toBe('embedded');
    await expect(readFile(jobEngineFile(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    await hub.close();
  });

  it('after a restart the saved choice reconnects by itself once Docker says the engine is healthy', async () => {
    const first = await setUp();
    await first.choice.choose('gpu');
    await first.choice.close();
    await first.hub.close();

    // A new app start over the same data folder.
    const base = await member('embedded', join(first.dir, 'work'));
    const hub = new SchedulerHub(base, 'base');
    const engines = enginesDouble();
    const ports: string[] = [];
    const choice = await JobEngineChoice.open({
      hub,
      engines: engines.port,
      file: jobEngineFile(first.dir),
      connect: async (endpoint) => {
        ports.push(endpoint.containerId);
        return member(endpoint.profile, join(first.dir, 'engine-workspace'));
      },
    });
    expect(choice.view()).toMatchObject({ choice: 'gpu', status: 'waiting', active: 'embedded' });
    // It looked at Docker once by itself (the engine may have been left running).
    expect(engines.refreshed()).toBe(1);
    engines.set('gpu', 'healthy', 'c9');
    await until(() => choice.view().status === 'connected');
    expect(ports).toEqual(['c9']);
    await choice.close();
    await hub.close();
  });
});
