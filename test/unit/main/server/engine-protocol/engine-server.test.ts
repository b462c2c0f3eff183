import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StageRunRecord } from '../../../../../main/server/engine-protocol/protocol-types.js';
import { readEvents, startFixture, TOKEN, type Fixture } from './server-fixture.js';

let f: Fixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}
const errorOf = async (res: Response) => (await json(res)).error as { code: string; message: string };

async function withInput(fx: Fixture, name = 'in.png', bytes = 'pixels'): Promise<string> {
  await writeFile(join(fx.workspace, name), bytes);
  return name;
}

async function startRun(fx: Fixture, body: Record<string, unknown>): Promise<Response> {
  return fx.api('/v1/stages', { method: 'POST', body: JSON.stringify(body) });
}

describe('engine protocol server: access', () => {
  it('answers /health without a token and everything else only with the right one', async () => {
    f = await startFixture();
    const health = await fetch(`${f.server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', engine: 'copy-double', version: '9.9.9', simulated: false });

    const anon = await fetch(`${f.server.url}/v1/models`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Bearer');
    expect((await errorOf(anon)).code).toBe('unauthorized');
    expect((await fetch(`${f.server.url}/v1/models`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${f.server.url}/nope`)).status).toBe(401);
    expect((await fetch(`${f.server.url}/v1/models?token=${TOKEN}`)).status).toBe(200);
    expect((await f.api('/v1/nope')).status).toBe(404);
    const wrongMethod = await f.api('/v1/models', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('refuses foreign Host headers on a loopback bind (DNS rebinding), even for /health', async () => {
    f = await startFixture();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: f!.server.port, path: '/health', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('says plainly when the port is taken', async () => {
    f = await startFixture();
    await expect(startFixture({ port: f.server.port })).rejects.toThrow(`port ${f.server.port} on 127.0.0.1 is already in use`);
  });

  it('refuses oversize bodies with 413, bad JSON and invalid fields with 400 naming the field', async () => {
    f = await startFixture({ maxBodyBytes: 4096 });
    const big = await startRun(f, { kind: 'inpaint', model: null, inputs: { image: 'x'.repeat(5000) }, outputs: {} });
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toMatchObject({ code: 'too-large' });

    const bad = await f.api('/v1/stages', { method: 'POST', body: '{"kind": "inpaint",' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('not valid JSON');

    const invalid = await startRun(f, { kind: 'paint', model: null, inputs: {}, outputs: {}, extra: 1 });
    expect(invalid.status).toBe(400);
    const e = await errorOf(invalid);
    expect(e.code).toBe('bad-request');
    expect(e.message).toContain('kind');

    const job = await f.api('/v1/jobs', { method: 'POST', body: JSON.stringify({ title: 't', priority: 'urgent', stages: [] }) });
    expect(job.status).toBe(400);
    expect((await errorOf(job)).message).toMatch(/priority.*stages|stages.*priority/s);
  });
});

describe('engine protocol server: paths stay inside the workspace', () => {
  it('refuses .., absolute paths elsewhere, symlinks that escape, and the records folder with 403 path-denied', async () => {
    f = await startFixture();
    const outside = await mkdtemp(join(tmpdir(), 'adstudio-outside-'));
    await writeFile(join(outside, 'secret.png'), 'secret');
    await symlink(outside, join(f.workspace, 'escape'));
    await withInput(f);
    const cases = [
      { inputs: { image: '../secret.png' }, outputs: { image: 'out.png' } },
      { inputs: { image: join(outside, 'secret.png') }, outputs: { image: 'out.png' } },
      { inputs: { image: 'escape/secret.png' }, outputs: { image: 'out.png' } },
      // The OS resolves the link before "..": this is outside's parent, not the workspace.
      { inputs: { image: 'in.png' }, outputs: { image: 'escape/../written.png' } },
      { inputs: { image: 'in.png' }, outputs: { image: 'escape/written.png' } },
      { inputs: { image: 'in.png' }, outputs: { image: '.adstudio/runs/forged.json' } },
    ];
    for (const c of cases) {
      const res = await startRun(f, { kind: 'inpaint', model: null, ...c });
      expect(res.status, JSON.stringify(c)).toBe(403);
      expect((await errorOf(res)).code).toBe('path-denied');
    }
    for (const p of ['../secret.png', join(outside, 'secret.png'), 'escape/secret.png']) {
      const res = await f.api(`/v1/files?path=${encodeURIComponent(p)}`);
      expect(res.status, p).toBe(403);
    }
    const job = await f.api('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({ title: 't', priority: 'batch', stages: [{ id: 'a', kind: 'inpaint', model: null, inputs: { image: '../x.png' }, outputs: { image: 'o.png' } }] }),
    });
    expect(job.status).toBe(403);
  });

  it('answers 404 for a missing input and 409 when the model is not resident', async () => {
    f = await startFixture();
    const missing = await startRun(f, { kind: 'inpaint', model: null, inputs: { image: 'nope.png' }, outputs: { image: 'o.png' } });
    expect(missing.status).toBe(404);
    await withInput(f);
    const cold = await startRun(f, { kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' } });
    expect(cold.status).toBe(409);
    expect((await errorOf(cold)).message).toContain('POST /v1/models/copy-gpu/load');
    expect((await f.api('/v1/models/nope/load', { method: 'POST' })).status).toBe(404);
  });
});

describe('engine protocol server: stage runs', () => {
  it('loads a model, runs a stage with progress events, serves the result file, and reports memory', async () => {
    f = await startFixture();
    await withInput(f, 'in.png', 'the pixels');
    const events = await f.api('/v1/events');
    expect(events.headers.get('content-type')).toContain('text/event-stream');

    const load = await f.api('/v1/models/copy-gpu/load', { method: 'POST' });
    expect(load.status).toBe(200);
    expect(((await json(load)).model as { resident: boolean }).resident).toBe(true);
    const memory = await json(await f.api('/v1/memory'));
    expect(memory).toMatchObject({ gpu: { usedMb: 6000, budgetMb: 22_000 }, resident: [{ id: 'copy-gpu', footprintMb: 6000 }], simulated: false });

    const res = await startRun(f, { kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'results/out.png' }, params: { steps: 3, stepMs: 120 } });
    expect(res.status).toBe(202);
    const run = (await json(res)).run as StageRunRecord;
    expect(run).toMatchObject({ status: 'running', inputs: { image: 'in.png' }, outputs: { image: 'results/out.png' } });

    const seen = await readEvents(events, (es) => es.some((e) => e.event === 'stage' && (e.data.run as StageRunRecord).status === 'done'));
    expect(seen.filter((e) => e.event === 'model').map((e) => e.data.phase)).toEqual(['start', 'done']);
    const steps = seen.filter((e) => e.event === 'stage').map((e) => (e.data.run as StageRunRecord).step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps).toContain(3);
    const final = (await json(await f.api(`/v1/stages/${run.id}`))).run as StageRunRecord;
    expect(final).toMatchObject({ status: 'done', step: 3, totalSteps: 3, result: { outputs: { image: 'results/out.png' }, madeBy: 'copy:copy-gpu' } });
    // Never bytes in a status: paths only.
    expect(JSON.stringify(final)).not.toContain('the pixels');

    const file = await f.api(`/v1/files?path=${encodeURIComponent('results/out.png')}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(await file.text()).toBe('the pixels');
  });

  it('cancels a run at the next step; the record and the event say cancelled; the output is not written', async () => {
    f = await startFixture();
    await withInput(f);
    await f.api('/v1/models/copy-gpu/load', { method: 'POST' });
    const run = (await json(await startRun(f, { kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 100, stepMs: 50 } }))).run as StageRunRecord;
    const cancel = await f.api(`/v1/stages/${run.id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect((await json(cancel)).run).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    expect((await f.api('/v1/files?path=o.png')).status).toBe(404);
    expect((await f.api('/v1/stages/r-0123456789abcdef/cancel', { method: 'POST' })).status).toBe(404);
  });

  it('keeps finished run records on disk: a new server on the same workspace answers for them, and reports an interrupted one as failed', async () => {
    f = await startFixture();
    const workspace = f.workspace;
    await withInput(f);
    await f.api('/v1/models/copy-gpu/load', { method: 'POST' });
    const run = (await json(await startRun(f, { kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 1, stepMs: 1 } }))).run as StageRunRecord;
    await expect.poll(async () => ((await json(await f!.api(`/v1/stages/${run.id}`))).run as StageRunRecord).status).toBe('done');
    // A record left "running" by a server that died mid-stage.
    const dead = { ...run, id: 'r-00000000000000aa', status: 'running' };
    await writeFile(join(workspace, '.adstudio', 'runs', `${dead.id}.json`), JSON.stringify(dead));
    await f.close();

    f = await startFixture({ workspace });
    const again = (await json(await f.api(`/v1/stages/${run.id}`))).run as StageRunRecord;
    expect(again).toMatchObject({ id: run.id, status: 'done', result: { outputs: { image: 'o.png' } } });
    const interrupted = (await json(await f.api(`/v1/stages/${dead.id}`))).run as StageRunRecord;
    expect(interrupted).toMatchObject({ status: 'failed', error: { code: 'engine-busy' } });
    expect(interrupted.error!.message).toContain('stopped while this stage ran');
    expect(JSON.parse(await readFile(join(workspace, '.adstudio', 'runs', `${dead.id}.json`), 'utf8'))).toMatchObject({ status: 'failed' });
  });
});

describe('engine protocol server: events', () => {
  it('replays what a client missed after Last-Event-ID, then goes live; a foreign or lost id gets a reset', async () => {
    f = await startFixture({ eventBuffer: 8 });
    await withInput(f);
    const first = await f.api('/v1/events');
    const load = f.api('/v1/models/copy-gpu/load', { method: 'POST' });
    const before = await readEvents(first, (es) => es.some((e) => e.event === 'model' && e.data.phase === 'start'));
    await load;
    const lastSeen = before.at(-1)!.id!;
    // While disconnected: the load finished (model done + memory), and a run starts.
    await startRun(f, { kind: 'inpaint', model: 'copy-gpu', inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 2, stepMs: 30 } });

    const again = await f.api('/v1/events', { headers: { 'last-event-id': lastSeen } });
    const replayed = await readEvents(again, (es) => es.some((e) => e.event === 'stage' && (e.data.run as StageRunRecord).status === 'done'));
    expect(replayed[0]!.event).toBe('model');
    expect(replayed[0]!.data).toMatchObject({ phase: 'done', model: 'copy-gpu', simulated: false });
    expect(replayed.map((e) => e.event)).toContain('memory');
    const ids = replayed.map((e) => Number(e.id!.split('-')[1]));
    expect(ids[0]).toBe(Number(lastSeen.split('-')[1]) + 1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const foreign = await readEvents(await f.api('/v1/events', { headers: { 'last-event-id': 'deadbeef-3' } }), (es) => es.length > 0);
    expect(foreign[0]).toMatchObject({ event: 'reset' });
    // The buffer holds 8: an id 9+ events back cannot be replayed either.
    for (let i = 0; i < 5; i++) await f.api('/v1/models/copy-cpu/load', { method: 'POST' }).then(() => f!.api('/v1/models/copy-cpu/unload', { method: 'POST' }));
    const lost = await readEvents(await f.api('/v1/events', { headers: { 'last-event-id': lastSeen } }), (es) => es.length > 0);
    expect(lost[0]!.event).toBe('reset');
    expect(lost[0]!.data.reason).toContain('more than 8 events');
  });

  it('filters by run, sends heartbeats, and relays job progress with workspace-relative paths', async () => {
    f = await startFixture({ heartbeatMs: 50 });
    await withInput(f);
    const stream = await f.api('/v1/events?types=job');
    const reader = stream.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain(': adstudio engine events');
    const beat = await reader.read();
    expect(new TextDecoder().decode(beat.value)).toMatch(/^: heartbeat /);
    await reader.cancel();

    const events = await f.api('/v1/events?types=job');
    const submit = await f.api('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({
        title: 'erase',
        priority: 'batch',
        stages: [
          { id: 'a', kind: 'detect_text', model: 'copy-cpu', inputs: { image: 'in.png' }, outputs: { image: 'mid/a.png' }, params: { steps: 2, stepMs: 10 } },
          { id: 'b', kind: 'inpaint', model: 'copy-gpu', inputs: { image: { from: 'a', output: 'image' } }, outputs: { image: 'out/b.png' }, params: { steps: 3, stepMs: 10 } },
        ],
      }),
    });
    expect(submit.status).toBe(202);
    const job = (await json(submit)).job as { id: string };
    const seen = await readEvents(events, (es) => es.some((e) => (e.data.job as { status: string }).status === 'done'));
    expect(seen.every((e) => e.event === 'job')).toBe(true);
    const progress = seen.map((e) => (e.data.job as { progress: number }).progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const done = seen.at(-1)!.data.job as { stages: { outputs: Record<string, string> }[]; spec: { stages: { outputs: Record<string, string> }[] } };
    expect(done.stages[1]!.outputs).toEqual({ image: 'out/b.png' });
    expect(done.spec.stages[0]!.outputs).toEqual({ image: 'mid/a.png' });
    expect((await json(await f.api(`/v1/jobs/${job.id}`))).job).toMatchObject({ status: 'done' });
    expect(((await json(await f.api('/v1/jobs?active=true'))).jobs as unknown[]).length).toBe(0);
    expect((await f.api('/v1/jobs/nope')).status).toBe(404);
  });
});

describe('engine protocol server: simulation is labelled', () => {
  it('says simulated in every JSON body, header and event', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'adstudio-protocol-'));
    await mkdir(join(ws, 'sub'));
    f = await startFixture({ simulated: true, workspace: ws });
    for (const path of ['/v1/health', '/v1/capabilities', '/v1/models', '/v1/memory', '/v1/jobs', '/v1/nope']) {
      const res = await f.api(path);
      expect(res.headers.get('x-adstudio-simulated'), path).toBe('true');
      expect((await json(res)).simulated, path).toBe(true);
    }
    expect((await json(await fetch(`${f.server.url}/health`))).simulated).toBe(true);
    const events = await f.api('/v1/events');
    await f.api('/v1/models/copy-cpu/load', { method: 'POST' });
    const seen = await readEvents(events, (es) => es.length >= 2);
    expect(seen.every((e) => e.data.simulated === true)).toBe(true);
  });
});

describe('engine protocol server: run ids chosen by the client', () => {
  /** The copy engine, counting the stage runs it really does. */
  async function countingFixture() {
    const { createCopyEngineDouble } = await import('./copy-engine-double.js');
    const engine = createCopyEngineDouble();
    const runs: string[] = [];
    const counting = { ...engine, runStage: (request: Parameters<typeof engine.runStage>[0], context: Parameters<typeof engine.runStage>[1]) => (runs.push(request.outputs.image ?? ''), engine.runStage(request, context)) };
    f = await startFixture({ engine: counting });
    await withInput(f);
    return runs;
  }
  const stage = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'inpaint', model: null, inputs: { image: 'in.png' }, outputs: { image: 'o.png' }, params: { steps: 3, stepMs: 30 }, ...extra });

  it('starts one run per id: a repeated POST answers 200 with that run, even two at the same time', async () => {
    const runs = await countingFixture();
    const first = await startRun(f!, stage('r-00000000000000a1'));
    expect(first.status).toBe(202);
    const run = (await json(first)).run as StageRunRecord;
    expect(run.id).toBe('r-00000000000000a1');
    const again = await startRun(f!, stage('r-00000000000000a1', { params: { stepMs: 30, steps: 3 } }));
    expect(again.status).toBe(200);
    expect(((await json(again)).run as StageRunRecord)).toMatchObject({ id: run.id, createdAt: run.createdAt });
    await expect.poll(async () => ((await json(await f!.api(`/v1/stages/${run.id}`))).run as StageRunRecord).status).toBe('done');
    // Once done, a repeat still answers with the same (finished) run.
    expect(((await json(await startRun(f!, stage('r-00000000000000a1')))).run as StageRunRecord).status).toBe('done');

    const both = await Promise.all([startRun(f!, stage('r-00000000000000a2')), startRun(f!, stage('r-00000000000000a2'))]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 202]);
    await expect.poll(async () => ((await json(await f!.api('/v1/stages/r-00000000000000a2'))).run as StageRunRecord).status).toBe('done');
    expect(runs.length).toBe(2);
  });

  it('refuses an id that names a different stage (409) and one that is not a run id (400)', async () => {
    await countingFixture();
    await startRun(f!, stage('r-00000000000000b1'));
    const other = await startRun(f!, stage('r-00000000000000b1', { outputs: { image: 'other.png' } }));
    expect(other.status).toBe(409);
    expect((await errorOf(other)).message).toContain('already exists for another stage');
    const bad = await startRun(f!, stage('my-run'));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/^invalid stage request: id: /);
  });

  it('an id cancelled before its POST arrives is never run (a client that gave up waiting cancels by the id it chose)', async () => {
    const runs = await countingFixture();
    // The cancel overtakes the POST: no such run yet, so 404 — but the id is remembered.
    expect((await f!.api('/v1/stages/r-00000000000000c1/cancel', { method: 'POST' })).status).toBe(404);
    const late = await startRun(f!, stage('r-00000000000000c1'));
    expect(late.status).toBe(202);
    expect((await json(late)).run).toMatchObject({ id: 'r-00000000000000c1', status: 'cancelled', error: { code: 'cancelled' } });
    expect((await json(await f!.api('/v1/stages/r-00000000000000c1'))).run).toMatchObject({ status: 'cancelled' });
    expect(runs).toEqual([]);
    expect((await f!.api('/v1/files?path=o.png')).status).toBe(404);
  });
});
