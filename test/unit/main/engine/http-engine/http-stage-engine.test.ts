import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpStageEngine, type HttpStageEngine } from '../../../../../main/engine/http-engine/http-stage-engine.js';
import type { StageRunRecord } from '../../../../../main/server/engine-protocol/protocol-types.js';
import { RunConnectionLost } from '../../../../../main/core/scheduler/stage-errors.js';
import { AppError } from '../../../../../preload/contract/index.js';
import { startFixture, TOKEN, type Fixture } from '../../server/engine-protocol/server-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(o: Parameters<typeof startFixture>[0] = {}): Promise<Fixture> {
  const f = await startFixture(o);
  cleanup.push(() => f.close());
  await writeFile(join(f.workspace, 'in.png'), 'original pixels');
  return f;
}

function client(f: Fixture, extra: Partial<Parameters<typeof createHttpStageEngine>[0]> = {}): HttpStageEngine {
  const e = createHttpStageEngine({ baseUrl: f.server.url, token: TOKEN, reconnectDelayMs: 20, ...extra });
  cleanup.push(() => e.close());
  return e;
}

const never = () => new AbortController().signal;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('HTTP stage engine (client of engine protocol v1)', () => {
  it('reports capabilities, models, health and memory, and loads/unloads models', async () => {
    const f = await setup();
    const e = client(f);
    expect(await e.capabilities()).toEqual({ engine: 'adstudio-serve', version: '9.9.9', protocol: 'adstudio/1', simulated: false, stages: ['inpaint', 'detect_text'], inpaintMethods: ['copy'] });
    expect((await e.health()).status).toBe('healthy');
    expect((await e.models()).map((m) => [m.id, m.resident])).toEqual([
      ['copy-gpu', false],
      ['copy-cpu', false],
    ]);
    await e.load('copy-gpu');
    expect((await e.memory())?.usedMb).toBe(6000);
    await e.unload('copy-gpu');
    expect((await e.memory())?.usedMb).toBe(0);
    expect((await rejection(e.load('no-such-model'))).code).toBe('not-found');
  });

  it('runs a stage: monotonic step progress to the end, outputs as absolute paths on this side', async () => {
    const f = await setup();
    const e = client(f);
    await e.load('copy-gpu');
    const progress: Array<[number, number]> = [];
    const result = await e.runStage(
      { kind: 'inpaint', model: 'copy-gpu', inputs: { image: join(f.workspace, 'in.png') }, outputs: { image: 'out/result.png' }, params: { steps: 5, stepMs: 30 } },
      { signal: never(), onProgress: (s, t) => progress.push([s, t]) },
    );
    expect(result.madeBy).toBe('copy:copy-gpu');
    expect(result.outputs.image).toBe(join(f.server.workspaceRoot, 'out', 'result.png'));
    expect(await readFile(result.outputs.image!, 'utf8')).toBe('original pixels');
    expect(progress.at(-1)).toEqual([5, 5]);
    const steps = progress.map(([s]) => s);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('maps paths through localWorkspace when the server sees the folder elsewhere (a bind mount)', async () => {
    const f = await setup();
    const hostSide = join(tmpdir(), `adstudio-host-view-${process.pid}-${Date.now()}`);
    await symlink(f.workspace, hostSide);
    const e = client(f, { localWorkspace: hostSide });
    const result = await e.runStage(
      { kind: 'inpaint', model: null, inputs: { image: join(hostSide, 'in.png') }, outputs: { image: join(hostSide, 'mapped.png') }, params: { steps: 1, stepMs: 1 } },
      { signal: never() },
    );
    expect(result.outputs.image).toBe(join(hostSide, 'mapped.png'));
    expect(await readFile(join(f.workspace, 'mapped.png'), 'utf8')).toBe('original pixels');
  });

  it('fails clearly: not resident → engine (load first), a stage error keeps its code, a path outside → path-denied', async () => {
    const f = await setup();
    const e = client(f);
    const cold = await rejection(e.runStage({ kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' } }, { signal: never() }));
    expect(cold.code).toBe('engine');
    expect(cold.message).toContain('load it first');
    const bad = await rejection(e.runStage({ kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { fail: 'corrupt PNG' } }, { signal: never() }));
    expect(bad).toMatchObject({ code: 'bad-image', message: 'corrupt PNG' });
    const out = await rejection(e.runStage({ kind: 'inpaint', model: null, inputs: { image: '/etc/passwd' }, outputs: { image: 'o.png' } }, { signal: never() }));
    expect(out.code).toBe('path-denied');
  });

  it('cancels through the signal: rejects with cancelled once the server says the run ended', async () => {
    const f = await setup();
    const e = client(f);
    const controller = new AbortController();
    let runId = '';
    const p = e.runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 200, stepMs: 25 } },
      { signal: controller.signal, onRunId: (id) => (runId = id), onProgress: (s) => s >= 2 && controller.abort() },
    );
    expect((await rejection(p)).code).toBe('cancelled');
    const run = (await (await f.api(`/v1/stages/${runId}`)).json()) as { run: StageRunRecord };
    expect(run.run.status).toBe('cancelled');
  });

  it('says engine-busy when nothing listens, when the server answers 503, or when the connection drops', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const refused = createHttpStageEngine({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN });
    expect((await rejection(refused.models())).code).toBe('engine-busy');
    expect((await refused.health()).status).toBe('unhealthy');

    let mode: '503' | 'reset' = '503';
    const flaky = createServer((req, res) => {
      if (mode === 'reset') return req.socket.destroy();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'engine-busy', message: 'loading flux, try again' } }));
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => flaky.close(r)));
    const e = createHttpStageEngine({ baseUrl: `http://127.0.0.1:${(flaky.address() as { port: number }).port}`, token: TOKEN });
    expect(await rejection(e.load('x'))).toMatchObject({ code: 'engine-busy', message: 'loading flux, try again' });
    mode = 'reset';
    expect((await rejection(e.memory())).code).toBe('engine-busy');
  });

  it('reconnects a dropped event stream with Last-Event-ID and still sees the run to the end', async () => {
    const f = await setup();
    const eventRequests: Array<string | null> = [];
    let cut = 0;
    // Cuts the first event stream right after its first event, as a flaky network would.
    const cuttingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/v1/events')) return res;
      eventRequests.push(new Headers(init?.headers).get('last-event-id'));
      if (cut++ > 0) return res;
      const reader = res.body!.getReader();
      let sawEvent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (sawEvent) return c.error(new TypeError('terminated'));
          const { done, value } = await reader.read();
          if (done) return c.close();
          if (new TextDecoder().decode(value).includes('\nid: ') || new TextDecoder().decode(value).startsWith('id: ')) sawEvent = true;
          c.enqueue(value);
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const e = client(f, { fetch: cuttingFetch });
    const progress: number[] = [];
    const result = await e.runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 6, stepMs: 120 } },
      { signal: never(), onProgress: (s) => progress.push(s) },
    );
    expect(result.outputs.image).toBe(join(f.server.workspaceRoot, 'o.png'));
    expect(eventRequests.length).toBeGreaterThanOrEqual(2);
    expect(eventRequests[0]).toBeNull();
    expect(eventRequests[1]).toMatch(/^[0-9a-f]+-\d+$/);
    expect(progress.at(-1)).toBe(6);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('reattaches to a run by id (another client, e.g. after an app restart) and follows it to the end', async () => {
    const f = await setup();
    const first = client(f);
    let runId = '';
    const firstRun = first.runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'later.png' }, params: { steps: 5, stepMs: 60 } },
      { signal: never(), onRunId: (id) => (runId = id) },
    );
    await expect.poll(() => runId).not.toBe('');
    await first.close();
    const lost = await rejection(firstRun);
    // Not "run it again": the run goes on over there, and the error says which one to follow.
    expect(lost).toBeInstanceOf(RunConnectionLost);
    expect(lost).toMatchObject({ code: 'engine-busy', runId });

    const second = client(f);
    const progress: number[] = [];
    const result = await second.reattach(runId, { signal: never(), onProgress: (s) => progress.push(s) });
    expect(await readFile(result.outputs.image!, 'utf8')).toBe('original pixels');
    expect(progress.at(-1)).toBe(5);
    expect((await rejection(second.reattach('r-0000000000000000', { signal: never() }))).code).toBe('not-found');
  });

  it('tells a follower when the server stops under its stage: engine-busy (transient), not cancelled', async () => {
    const f = await setup();
    const e = client(f);
    const p = e.runStage({ kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 500, stepMs: 20 } }, { signal: never(), onProgress: () => void f.close() });
    const err = await rejection(p);
    expect(err.code).toBe('engine-busy');
    expect(err.message).toContain('stopped while this stage ran');
  });

  it('reattaching to a run that a crashed server left "running" says it was interrupted', async () => {
    const f = await setup();
    const record: StageRunRecord = {
      id: 'r-00000000000000cc', status: 'running', kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: {},
      step: 3, totalSteps: 10, message: null, createdAt: Date.now() - 1000, finishedAt: null, result: null, error: null, simulated: false,
    };
    await writeFile(join(f.workspace, '.adstudio', 'runs', `${record.id}.json`), JSON.stringify(record));
    const err = await rejection(client(f).reattach(record.id, { signal: never() }));
    expect(err.code).toBe('engine-busy');
    expect(err.message).toContain('stopped while this stage ran');
  });
});

/** Stage runs the server has records of (one file per run). */
const runsOn = async (f: Fixture) => (await readdir(join(f.workspace, '.adstudio', 'runs'))).filter((n) => n.endsWith('.json'));

/** fetch that lets POST /v1/stages reach the server but never hands its answer back (a dropped connection). */
function answerLostFetch(times = 1): typeof fetch & { lost: number } {
  const wrapped = Object.assign(
    async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/v1/stages') && wrapped.lost < times) {
        wrapped.lost++;
        await res.body?.cancel();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return res;
    },
    { lost: 0 },
  );
  return wrapped;
}

describe('HTTP stage engine: the run id is known before POST /v1/stages', () => {
  it('tells the run id before the POST and sends it, so the server runs that id', async () => {
    const f = await setup();
    const bodies: Array<{ id?: string }> = [];
    const spying: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/v1/stages')) bodies.push(JSON.parse(String(init.body)) as { id?: string });
      return fetch(input, init);
    };
    let told = '';
    await client(f, { fetch: spying }).runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 1, stepMs: 1 } },
      { signal: never(), onRunId: (id) => (told = bodies.length === 0 ? id : `told after the POST: ${id}`) },
    );
    expect(told).toMatch(/^r-[0-9a-f]{16}$/);
    expect(bodies).toEqual([expect.objectContaining({ id: told })]);
    expect(await runsOn(f)).toEqual([`${told}.json`]);
  });

  it('cancelled while the POST is in flight: cancels that run by its id, so it does not go on unseen', async () => {
    const f = await setup();
    const controller = new AbortController();
    // The POST reaches the server and starts the run; its answer is held until the caller gives up.
    const holding: typeof fetch = async (input, init) => {
      if (!(init?.method === 'POST' && String(input).endsWith('/v1/stages'))) return fetch(input, init);
      const { signal, ...rest } = init;
      await fetch(input, rest);
      await new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve(), { once: true })));
      throw new DOMException('This operation was aborted', 'AbortError');
    };
    let runId = '';
    const p = client(f, { fetch: holding }).runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 40, stepMs: 25 } },
      { signal: controller.signal, onRunId: (id) => (runId = id) },
    );
    await expect.poll(async () => (await runsOn(f)).length).toBe(1);
    controller.abort();
    expect((await rejection(p)).code).toBe('cancelled');
    const run = ((await (await f.api(`/v1/stages/${runId}`)).json()) as { run: StageRunRecord }).run;
    expect(run.status).toBe('cancelled');
    expect(run.step).toBeLessThan(40);
  });

  it('cancelled before the POST even arrives: the late POST does not start the run', async () => {
    const f = await setup();
    const controller = new AbortController();
    let late: Promise<Response> | null = null;
    // The POST is stuck on the way: it reaches the server only after the cancel did.
    const slow: typeof fetch = async (input, init) => {
      if (!(init?.method === 'POST' && String(input).endsWith('/v1/stages'))) return fetch(input, init);
      const { signal, ...rest } = init;
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      late = new Promise((resolve) => setTimeout(resolve, 100)).then(() => fetch(input, rest));
      throw new DOMException('This operation was aborted', 'AbortError');
    };
    let runId = '';
    const p = client(f, { fetch: slow }).runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 3, stepMs: 10 } },
      { signal: controller.signal, onRunId: (id) => (runId = id) },
    );
    controller.abort();
    expect((await rejection(p)).code).toBe('cancelled');
    expect((await late!).status).toBe(202);
    const run = ((await (await f.api(`/v1/stages/${runId}`)).json()) as { run: StageRunRecord }).run;
    expect(run).toMatchObject({ status: 'cancelled', step: 0 });
    expect((await f.api('/v1/files?path=o.png')).status).toBe(404);
  });

  it('when the answer to the POST is lost, says the run may be going (with its id) and reattaching follows the one run', async () => {
    const f = await setup();
    const e = client(f, { fetch: answerLostFetch() });
    let runId = '';
    const request = { kind: 'inpaint' as const, model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 3, stepMs: 30 } };
    const lost = await rejection(e.runStage(request, { signal: never(), onRunId: (id) => (runId = id) }));
    expect(lost).toBeInstanceOf(RunConnectionLost);
    expect(lost).toMatchObject({ code: 'engine-busy', runId });
    const result = await e.reattach(runId, { signal: never() });
    expect(result.outputs.image).toBe(join(f.server.workspaceRoot, 'o.png'));
    expect(await runsOn(f)).toEqual([`${runId}.json`]);
  });

  it('a POST refused outright (nothing listening) is plain engine-busy: nothing can have started', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const e = createHttpStageEngine({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, localWorkspace: tmpdir() });
    const err = await rejection(e.runStage({ kind: 'inpaint', model: null, inputs: {}, outputs: {} }, { signal: never() }));
    expect(err.code).toBe('engine-busy');
    expect(err).not.toBeInstanceOf(RunConnectionLost);
  });

  it('falls back to server-chosen ids with a server from before client-chosen ones', async () => {
    const f = await setup();
    // An older server: its strict schema refuses the unknown "id" field.
    const older: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/v1/stages') && (JSON.parse(String(init.body)) as { id?: string }).id) {
        return new Response(JSON.stringify({ error: { code: 'bad-request', message: 'invalid stage request: (body): Unrecognized key: "id"' } }), { status: 400 });
      }
      return fetch(input, init);
    };
    const ids: string[] = [];
    const result = await client(f, { fetch: older }).runStage(
      { kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 1, stepMs: 1 } },
      { signal: never(), onRunId: (id) => ids.push(id) },
    );
    expect(result.madeBy).toBe('copy:none');
    expect(await runsOn(f)).toEqual([`${ids.at(-1)}.json`]);
  });
});

describe('the real scheduler driving a remote engine through the HTTP client', () => {
  it('plans, loads, runs and unloads over the protocol; the job finishes with outputs on this side', async () => {
    const { createSimulatedEngine } = await import('../../../../../main/engine/simulated/simulated-engine.js');
    const { createScheduler } = await import('../../../../../main/core/scheduler/scheduler.js');
    const { createMemoryJobStore } = await import('../../../../../main/core/scheduler/job-store.js');
    const remote = createSimulatedEngine({ timeScale: 0.002 });
    const f = await setup({ engine: remote });
    const e = client(f);
    const scheduler = await createScheduler({ engine: e, store: createMemoryJobStore() });
    cleanup.push(() => scheduler.close());
    const runIds = new Set<string>();
    scheduler.subscribe((ev) => ev.type === 'job' && ev.job.stages.forEach((st) => st.remoteRunId && runIds.add(st.remoteRunId)));
    const submitted = await scheduler.submit({
      title: 'product ad',
      priority: 'batch',
      stages: [
        { id: 'cut', kind: 'cutout', model: 'birefnet', inputs: { image: join(f.workspace, 'in.png') }, outputs: { image: join(f.workspace, 'cut.png') } },
        { id: 'bg', kind: 'background', model: 'flux-dev', inputs: { image: { from: 'cut', output: 'image' } }, outputs: { image: join(f.workspace, 'bg.png') } },
      ],
    });
    await expect.poll(() => scheduler.get(submitted.id)?.status, { timeout: 20_000 }).toBe('done');
    const job = scheduler.get(submitted.id)!;
    expect(job.simulated).toBe(true);
    expect(job.stages.map((s) => s.madeBy)).toEqual(['simulated:birefnet', 'simulated:flux-dev']);
    expect(job.stages[1]!.outputs.image).toBe(join(f.server.workspaceRoot, 'bg.png'));
    // Each stage ran as a run on the server, whose id the scheduler kept while it ran (for a reattach).
    expect(runIds.size).toBe(2);
    for (const id of runIds) expect(((await (await f.api(`/v1/stages/${id}`)).json()) as { run: StageRunRecord }).run.status).toBe('done');
    expect(remote.stats().loadsByModel).toMatchObject({ birefnet: 1, 'flux-dev': 1 });
  });
  it('a POST whose answer is lost is followed by its id, not run a second time', async () => {
    const { createSimulatedEngine } = await import('../../../../../main/engine/simulated/simulated-engine.js');
    const { createScheduler } = await import('../../../../../main/core/scheduler/scheduler.js');
    const { createMemoryJobStore } = await import('../../../../../main/core/scheduler/job-store.js');
    const remote = createSimulatedEngine({ timeScale: 0.002 });
    const f = await setup({ engine: remote });
    const lossy = answerLostFetch();
    const e = client(f, { fetch: lossy });
    const scheduler = await createScheduler({ engine: e, store: createMemoryJobStore(), retry: { baseMs: 20, maxMs: 100 }, healthPollMs: 0 });
    cleanup.push(() => scheduler.close());
    const submitted = await scheduler.submit({
      title: 'background',
      priority: 'batch',
      stages: [{ id: 'bg', kind: 'background', model: 'flux-dev', inputs: { image: join(f.workspace, 'in.png') }, outputs: { image: join(f.workspace, 'bg.png') } }],
    });
    await expect.poll(() => scheduler.get(submitted.id)?.status, { timeout: 20_000 }).toBe('done');
    expect(lossy.lost).toBe(1);
    const job = scheduler.get(submitted.id)!;
    expect(job.stages[0]!.attempts).toBe(1);
    expect(job.stages[0]!.note).toMatch(/^Picked up run r-[0-9a-f]{16} again/);
    // One run on the server: the stage was followed, not started again.
    expect(await runsOn(f)).toHaveLength(1);
    expect(remote.stats().runs).toBe(1);
  });
});
