import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../main/core/scheduler/scheduler-types.js';
import type { StageRunRecord } from '../../../main/server/engine-protocol/protocol-types.js';
import { fixture } from '../../support/fixtures.js';

/*
 * Engine protocol v1 against the real thing: the built `adstudio serve` as a child process with the
 * simulated-GPU engine (real text detection and erasing, simulated FLUX), on a temp workspace, driven
 * over HTTP and SSE as the app's client or a remote scheduler would.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'protocol-test-token-0123456789';
const URL_LINE = /^adstudio serve: (http:\/\/127\.0\.0\.1:(\d+))(?: \(simulated GPU: [\d.]+ GB VRAM budget\))?$/;
const auth = { authorization: `Bearer ${TOKEN}` };

interface Serve {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Serve[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

async function serve(workspace: string, extra: string[] = []): Promise<Serve> {
  const child = spawn(process.execPath, ['dist/main/cli.mjs', 'serve', '--port', '0', '--token', TOKEN, '--workspace', workspace, '--simulate-vram', '22', '--time-scale', '0.02', ...extra], { cwd: root });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const s: Serve = { child, url: '', port: 0, stdout: () => out, stderr: () => err, exited };
  running.push(s);
  await expect.poll(() => out.includes('\n') || child.exitCode !== null, { timeout: 30_000 }).toBe(true);
  const m = URL_LINE.exec(out.split('\n')[0] ?? '');
  if (!m) throw new Error(`unexpected stdout ${JSON.stringify(out)}; stderr: ${err}`);
  s.url = m[1] as string;
  s.port = Number(m[2]);
  return s;
}

async function stop(s: Serve): Promise<void> {
  s.child.kill('SIGTERM');
  expect(await s.exited).toBe(0);
}

const api = (s: Serve, path: string, init: RequestInit = {}) => fetch(`${s.url}${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
const post = (s: Serve, path: string, body: unknown = {}) => api(s, path, { method: 'POST', body: JSON.stringify(body) });
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'adstudio-serve-ws-'));
  await copyFile(fixture('ad-market-banana-price.png'), join(dir, 'ad.png'));
  // A small hole to erase: 160×48 px near the top left corner (8-bit grey, 255 = fill).
  const mask = Buffer.alloc(1024 * 1024);
  for (let y = 40; y < 88; y++) mask.fill(255, y * 1024 + 40, y * 1024 + 200);
  await sharp(mask, { raw: { width: 1024, height: 1024, channels: 1 } }).png().toFile(join(dir, 'mask.png'));
  return dir;
}

/** detect → erase (real, through the embedded engine) → refine (simulated FLUX). */
const ERASE_JOB = {
  title: 'Erase text — ad.png',
  priority: 'batch',
  stages: [
    { id: 'detect', kind: 'detect_text', model: 'ppocr-det', inputs: { image: 'ad.png' }, outputs: { mask: 'out/mask.png' } },
    { id: 'erase', kind: 'inpaint', model: 'lama', inputs: { image: 'ad.png', mask: { from: 'detect', output: 'mask' } }, outputs: { image: 'out/erased.png' } },
    { id: 'refine', kind: 'refine', model: 'flux-dev', inputs: { image: { from: 'erase', output: 'image' } }, outputs: { image: 'out/refined.png' } },
  ],
};

interface Frame {
  id: string | null;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames until `until` is satisfied (then closes the stream) or the timeout passes. */
async function readEvents(res: Response, until: (frames: Frame[]) => boolean, timeoutMs = 60_000): Promise<Frame[]> {
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!until(frames)) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
        const data = field('data');
        if (data) frames.push({ id: field('id'), event: field('event') ?? 'message', data: JSON.parse(data) as Record<string, unknown> });
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return frames;
}

const jobOf = (f: Frame) => f.data.job as JobRecord;

beforeAll(() => {
  // Builds only when dist/ is missing or older than the sources (as the other CLI tests do).
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
}, 300_000);

describe('adstudio serve: access and limits', () => {
  it('says simulated on its one stdout line; /health is open, everything else needs the right token; foreign Host is refused', async () => {
    const s = await serve(await workspace());
    expect(s.stdout()).toMatch(/^adstudio serve: http:\/\/127\.0\.0\.1:\d+ \(simulated GPU: 22 GB VRAM budget\)\n$/);
    expect(s.stderr()).toContain('SIMULATED engine');
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy', engine: 'simulated-gpu', simulated: true });
    expect(health.headers.get('x-adstudio-simulated')).toBe('true');

    const anon = await fetch(`${s.url}/v1/models`);
    expect(anon.status).toBe(401);
    expect((await json<{ error: { code: string } }>(anon)).error.code).toBe('unauthorized');
    expect((await fetch(`${s.url}/v1/models`, { headers: { authorization: 'Bearer not-the-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${s.url}/v1/events`)).status).toBe(401);
    const models = await json<{ models: { id: string; resident: boolean }[]; simulated: boolean }>(await api(s, '/v1/models'));
    expect(models.simulated).toBe(true);
    expect(models.models.map((m) => m.id)).toContain('flux-dev');

    const foreign = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/health', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(403);
    await stop(s);
  });

  it('refuses paths outside the workspace (.., absolute elsewhere, a symlink out) with 403, oversize bodies with 413, bad JSON with 400', async () => {
    const ws = await workspace();
    const outside = await mkdtemp(join(tmpdir(), 'adstudio-serve-outside-'));
    await writeFile(join(outside, 'secret.png'), 'not yours');
    await symlink(outside, join(ws, 'link-out'));
    const s = await serve(ws);
    const stage = (inputs: Record<string, string>, outputs: Record<string, string>) => post(s, '/v1/stages', { kind: 'inpaint', model: null, inputs, outputs });
    for (const [inputs, outputs] of [
      [{ image: '../secret.png' }, { image: 'o.png' }],
      [{ image: join(outside, 'secret.png') }, { image: 'o.png' }],
      [{ image: 'link-out/secret.png' }, { image: 'o.png' }],
      [{ image: 'ad.png' }, { image: join(outside, 'written.png') }],
      [{ image: 'ad.png' }, { image: 'link-out/written.png' }],
    ] as const) {
      const res = await stage(inputs, outputs);
      expect(res.status, JSON.stringify([inputs, outputs])).toBe(403);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('path-denied');
    }
    const job = await post(s, '/v1/jobs', { ...ERASE_JOB, stages: [{ ...ERASE_JOB.stages[0], inputs: { image: '../../etc/passwd' } }] });
    expect(job.status).toBe(403);
    for (const p of ['../secret.png', '/etc/passwd', 'link-out/secret.png']) {
      expect((await api(s, `/v1/files?path=${encodeURIComponent(p)}`)).status, p).toBe(403);
    }
    expect(await readdir(outside)).toEqual(['secret.png']);

    const big = await post(s, '/v1/jobs', { ...ERASE_JOB, title: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await json<{ error: { code: string } }>(big)).error.code).toBe('too-large');
    const broken = await api(s, '/v1/jobs', { method: 'POST', body: '{"title": ' });
    expect(broken.status).toBe(400);
    expect((await json<{ error: { message: string } }>(broken)).error.message).toContain('not valid JSON');
    const invalid = await post(s, '/v1/jobs', { ...ERASE_JOB, priority: 'now' });
    expect(invalid.status).toBe(400);
    expect((await json<{ error: { message: string } }>(invalid)).error.message).toContain('priority');
    await stop(s);
  });
});

describe('adstudio serve: jobs, events, files', () => {
  it('runs a submitted job to done with monotonic progress on SSE; a reconnect with Last-Event-ID gets what it missed; the result file is served', async () => {
    const s = await serve(await workspace());
    const first = await api(s, '/v1/events');
    const submitted = await post(s, '/v1/jobs', ERASE_JOB);
    expect(submitted.status).toBe(202);
    const job = (await json<{ job: JobRecord }>(submitted)).job;
    expect(job.simulated).toBe(true);
    expect(['queued', 'running']).toContain(job.status);

    // Hang up after the first few events, as a flaky network or a sleeping laptop would...
    const early = await readEvents(first, (fs) => fs.length >= 3);
    const lastSeen = early.at(-1)!.id!;
    await new Promise((r) => setTimeout(r, 1_500));
    // ...and come back: first what was missed, in order, then live to the end.
    const later = await readEvents(
      await api(s, '/v1/events', { headers: { 'last-event-id': lastSeen } }),
      (fs) => fs.some((f) => f.event === 'job' && jobOf(f).id === job.id && ['done', 'failed', 'cancelled'].includes(jobOf(f).status)),
    );
    const seq = (f: Frame) => Number(f.id!.split('-')[1]);
    expect(seq(later[0]!)).toBe(seq(early.at(-1)!) + 1);
    const all = [...early, ...later];
    expect(all.map(seq)).toEqual(all.map((_, i) => seq(all[0]!) + i));
    expect(all.every((f) => f.data.simulated === true)).toBe(true);
    const loads = all.filter((f) => f.event === 'model' && f.data.action === 'load' && f.data.phase === 'done').map((f) => f.data.model);
    expect(loads).toEqual(expect.arrayContaining(['lama', 'flux-dev']));

    const mine = all.filter((f) => f.event === 'job' && jobOf(f).id === job.id).map(jobOf);
    const final = mine.at(-1)!;
    expect(final.status, JSON.stringify(final.error)).toBe('done');
    const progress = mine.map((j) => j.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(final.progress).toBe(1);
    expect(final.stages.map((st) => [st.id, st.status])).toEqual([
      ['detect', 'done'],
      ['erase', 'done'],
      ['refine', 'done'],
    ]);
    expect(final.stages[1]!.outputs).toEqual({ image: 'out/erased.png' });
    expect(final.stages[1]!.madeBy).toContain('simulated engine');
    // Statuses carry paths, never pixels.
    expect(JSON.stringify(final).length).toBeLessThan(10_000);

    const file = await api(s, `/v1/files?path=${encodeURIComponent('out/erased.png')}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 1024]);
    const listed = await json<{ jobs: JobRecord[] }>(await api(s, '/v1/jobs'));
    expect(listed.jobs.map((j) => j.id)).toContain(job.id);
    await stop(s);
  });

  it('cancels a stage run and a job; the memory report and model residency follow explicit load/unload', async () => {
    const s = await serve(await workspace(), ['--time-scale', '0.03']);
    const loaded = await post(s, '/v1/models/flux-dev/load');
    expect(loaded.status).toBe(200);
    const memory = await json<{ gpu: { usedMb: number; budgetMb: number }; resident: { id: string }[] }>(await api(s, '/v1/memory'));
    expect(memory.gpu.usedMb).toBe(11 * 1024);
    expect(memory.gpu.budgetMb).toBe(22 * 1024);
    expect(memory.resident.map((m) => m.id)).toEqual(['flux-dev']);

    const started = await post(s, '/v1/stages', { kind: 'background', model: 'flux-dev', inputs: { image: 'ad.png' }, outputs: { image: 'bg.png' } });
    expect(started.status).toBe(202);
    const run = (await json<{ run: StageRunRecord }>(started)).run;
    const progressed = await readEvents(await api(s, `/v1/events?run=${run.id}`, { headers: { 'last-event-id': '' } }), (fs) => fs.some((f) => (f.data.run as StageRunRecord).step >= 2));
    expect(progressed.every((f) => f.event === 'stage')).toBe(true);
    const cancelled = await post(s, `/v1/stages/${run.id}/cancel`);
    expect((await json<{ run: StageRunRecord }>(cancelled)).run).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    expect((await api(s, '/v1/files?path=bg.png')).status).toBe(404);

    const unloaded = await post(s, '/v1/models/flux-dev/unload');
    expect(((await json<{ model: { resident: boolean } }>(unloaded)).model.resident)).toBe(false);

    const job = (await json<{ job: JobRecord }>(await post(s, '/v1/jobs', ERASE_JOB))).job;
    await expect.poll(async () => (await json<{ job: JobRecord }>(await api(s, `/v1/jobs/${job.id}`))).job.status, { timeout: 30_000 }).toBe('running');
    const after = await json<{ job: JobRecord }>(await post(s, `/v1/jobs/${job.id}/cancel`));
    expect(after.job.status).toBe('cancelled');
    expect((await post(s, '/v1/jobs/no-such-job/cancel')).status).toBe(404);
    await stop(s);
  });
});

describe('adstudio serve: records outlive the process', () => {
  it('a restarted server on the same workspace still answers for finished stage runs and jobs; a run cut off by a crash reads as interrupted', async () => {
    const ws = await workspace();
    const s1 = await serve(ws);
    await post(s1, '/v1/models/lama/load');
    const run = (await json<{ run: StageRunRecord }>(await post(s1, '/v1/stages', { kind: 'inpaint', model: 'lama', inputs: { image: 'ad.png', mask: 'mask.png' }, outputs: { image: 'out/direct.png' } }))).run;
    await expect.poll(async () => (await json<{ run: StageRunRecord }>(await api(s1, `/v1/stages/${run.id}`))).run.status, { timeout: 30_000 }).not.toBe('running');
    const finished = (await json<{ run: StageRunRecord }>(await api(s1, `/v1/stages/${run.id}`))).run;
    expect(finished, JSON.stringify(finished.error)).toMatchObject({ status: 'done', result: { outputs: { image: 'out/direct.png' } } });
    const job = (await json<{ job: JobRecord }>(await post(s1, '/v1/jobs', ERASE_JOB))).job;
    await expect.poll(async () => (await json<{ job: JobRecord }>(await api(s1, `/v1/jobs/${job.id}`))).job.status, { timeout: 60_000 }).toBe('done');
    await stop(s1);

    const s2 = await serve(ws);
    expect((await json<{ run: StageRunRecord }>(await api(s2, `/v1/stages/${run.id}`))).run).toEqual(finished);
    expect((await json<{ job: JobRecord }>(await api(s2, `/v1/jobs/${job.id}`))).job).toMatchObject({ id: job.id, status: 'done', progress: 1 });
    expect((await api(s2, '/v1/files?path=out/refined.png')).status).toBe(200);

    // A crash (SIGKILL) in the middle of a long stage: nothing is written at the end, yet the next
    // server says what happened rather than "running" forever.
    await post(s2, '/v1/models/flux-dev/load');
    const long = (await json<{ run: StageRunRecord }>(await post(s2, '/v1/stages', { kind: 'background', model: 'flux-dev', inputs: { image: 'ad.png' }, outputs: { image: 'bg.png' } }))).run;
    s2.child.kill('SIGKILL');
    await s2.exited;
    const s3 = await serve(ws);
    const interrupted = (await json<{ run: StageRunRecord }>(await api(s3, `/v1/stages/${long.id}`))).run;
    expect(interrupted).toMatchObject({ status: 'failed', error: { code: 'engine-busy' } });
    expect(interrupted.error!.message).toContain('stopped while this stage ran');
    await stop(s3);
  });
});

describe('adstudio serve: run ids chosen by the client; one server per workspace', () => {
  it('a POST /v1/stages repeated with the same id (even at the same time) runs once; a second server on the workspace is refused', async () => {
    const ws = await workspace();
    const s = await serve(ws);
    await post(s, '/v1/models/lama/load');
    const body = { id: 'r-0123456789abcdef', kind: 'inpaint', model: 'lama', inputs: { image: 'ad.png', mask: 'mask.png' }, outputs: { image: 'out/once.png' } };
    const both = await Promise.all([post(s, '/v1/stages', body), post(s, '/v1/stages', body)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 202]);
    const runs = await Promise.all(both.map(async (r) => (await json<{ run: StageRunRecord }>(r)).run));
    expect(runs.map((r) => r.id)).toEqual([body.id, body.id]);
    await expect.poll(async () => (await json<{ run: StageRunRecord }>(await api(s, `/v1/stages/${body.id}`))).run.status, { timeout: 30_000 }).toBe('done');
    const again = await post(s, '/v1/stages', body);
    expect(again.status).toBe(200);
    expect((await json<{ run: StageRunRecord }>(again)).run).toMatchObject({ id: body.id, status: 'done' });
    expect(await readdir(join(ws, '.adstudio', 'runs'))).toEqual([`${body.id}.json`]);

    const second = spawn(process.execPath, ['dist/main/cli.mjs', 'serve', '--port', '0', '--token', TOKEN, '--workspace', ws], { cwd: root });
    let err = '';
    second.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`adstudio: error: The jobs folder .* is in use by another adstudio: process ${s.child.pid} on `));
    await stop(s);
  });
});
