import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp, { type OverlayOptions } from 'sharp';

/**
 * A TEST DOUBLE of the seed team's nanoCocoa AI server — NOT the real server, and no model runs here.
 * It answers the REST API as shared/reference/nanococoa-server.md documents it (read from the
 * server's code), including the quirks a client must absorb:
 *  - one job at a time: POST /generate answers 503 `{status: "busy", retry_after}` + a Retry-After
 *    header (a fixed estimate minus the elapsed time) while a job is pending or running;
 *  - statuses `pending`, `running`, `completed`, `error`, `stopped` (and `failed` on request, as its
 *    docs say); `progress_percent` goes backwards mid-job; `eta_seconds` runs below zero;
 *  - GET /status echoes the whole request in `parameters`, base64 images included, and carries the
 *    results as PNG base64 without a data: prefix;
 *  - POST /stop overwrites even a finished job's status with `stopped`;
 *  - jobs live in memory only: restart() loses them (404 afterwards);
 *  - wedge(): a crashed worker leaves a job "running" forever, so /generate answers 503 until
 *    POST /server-reset.
 * The result images are small synthetic PNGs (a flat colour with the product pasted on, a band where
 * the "text" would be) so a client's file handling can be checked, nothing more.
 */

export interface NanoCocoaTestDoubleOptions {
  /** How often the simulated worker advances one tick (default 15 ms). */
  tickMs?: number;
  /** Ticks per pipeline step (default 8). */
  ticksPerStep?: number;
  /** The server's fixed whole-job estimate, seconds: Retry-After is this minus the elapsed time (default 1320). */
  estimateSeconds?: number;
  /** GPU in /health and /status; null = the server reports none. */
  gpu?: { usedGb: number; totalGb: number } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Request body size, bytes. */
  bytes: number;
  at: number;
}

interface FakeJob {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'error' | 'failed' | 'stopped';
  progress_percent: number;
  current_step: string;
  sub_step: string | null;
  message: string;
  start_time: number | null;
  eta_seconds: number;
  parameters: Record<string, unknown>;
  images: { step1_result?: string; step2_result?: string; final_result?: string };
  timer: NodeJS.Timeout | null;
  tick: number;
  /** Set by failNextJob: the job errors at its third tick. */
  failWith: { status: 'error' | 'failed'; message: string } | null;
}

export interface NanoCocoaTestDouble {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests matching method and a path prefix. */
  count(method: string, pathPrefix: string): number;
  job(id: string): Readonly<FakeJob> | undefined;
  jobIds(): string[];
  /** The next `count` jobs submitted fail at their third tick with this status and message. */
  failNextJob(message: string, status?: 'error' | 'failed', count?: number): void;
  /** Another client's job takes the server (for `ticks` ticks; Infinity = until stopped/reset). */
  startForeignJob(ticks?: number): string;
  /** A crashed worker: a job stuck "running" with no progress, holding the lock until /server-reset. */
  wedge(): string;
  /** The process restarts: every job is lost; with `downMs` the port refuses connections meanwhile. */
  restart(downMs?: number): Promise<void>;
  setGpu(gpu: { usedGb: number; totalGb: number } | null): void;
  close(): Promise<void>;
}

const FAKE_FONTS = ['NanumGothic/NanumGothic.ttf', '%EB%82%98%EB%88%94%EC%8A%A4%ED%80%98%EC%96%B4/NanumSquareB.ttf'];

export async function startNanoCocoaTestDouble(options: NanoCocoaTestDoubleOptions = {}): Promise<NanoCocoaTestDouble> {
  const tickMs = options.tickMs ?? 15;
  const ticksPerStep = options.ticksPerStep ?? 8;
  const estimate = options.estimateSeconds ?? 1320;
  let gpu = options.gpu === undefined ? { usedGb: 0.4, totalGb: 23.6 } : options.gpu;
  const jobs = new Map<string, FakeJob>();
  const requests: RecordedRequest[] = [];
  let failNext: FakeJob['failWith'] = null;
  let failCount = 0;
  const sockets = new Set<Socket>();

  const metrics = () => ({
    cpu_percent: 12.5,
    ram_used_gb: 10.1,
    ram_total_gb: 62.8,
    ram_percent: 16.1,
    gpu_info: gpu ? [{ index: 0, name: 'NVIDIA L4 (test double)', gpu_util: 0, vram_used_gb: gpu.usedGb, vram_total_gb: gpu.totalGb, vram_percent: Math.round((gpu.usedGb / gpu.totalGb) * 1000) / 10 }] : [],
  });
  const active = () => [...jobs.values()].filter((j) => j.status === 'pending' || j.status === 'running');

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  async function readBody(req: IncomingMessage): Promise<{ raw: Buffer; json: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (raw.length === 0) return { raw, json: {} };
    try {
      return { raw, json: JSON.parse(raw.toString('utf8')) };
    } catch {
      return { raw, json: undefined };
    }
  }

  function newJob(parameters: Record<string, unknown>): FakeJob {
    const job: FakeJob = {
      id: randomUUID(),
      status: 'pending',
      progress_percent: 0,
      current_step: 'init',
      sub_step: null,
      message: 'Initializing...',
      start_time: null,
      eta_seconds: 0,
      parameters,
      images: {},
      timer: null,
      tick: 0,
      failWith: failCount > 0 ? failNext : null,
    };
    failCount = Math.max(0, failCount - 1);
    jobs.set(job.id, job);
    return job;
  }

  /** One worker tick: pending → step by step → completed (or error), with the documented oddities. */
  async function advance(job: FakeJob): Promise<void> {
    if (job.status !== 'pending' && job.status !== 'running') return;
    job.tick++;
    const p = job.parameters;
    const start = Number(p.start_step ?? 1);
    const stopStep = p.stop_step === null || p.stop_step === undefined ? 3 : Number(p.stop_step);
    const text = typeof p.text_content === 'string' && p.text_content.trim() !== '';
    const last = text ? stopStep : 1;
    const steps: number[] = [];
    for (let s = start; s <= last; s++) steps.push(s);
    if (job.tick === 1) {
      job.status = 'running';
      job.start_time = Date.now() / 1000;
      job.eta_seconds = steps.length * 3;
      if (start > 1 && typeof p.step1_image !== 'string') {
        job.status = 'error';
        job.message = 'start_step > 1이지만 step1_image가 제공되지 않았습니다.';
        return stopTimer(job);
      }
      return;
    }
    if (job.failWith && job.tick === 3) {
      job.status = job.failWith.status;
      job.message = job.failWith.message;
      return stopTimer(job);
    }
    const index = Math.floor((job.tick - 2) / ticksPerStep);
    if (index >= steps.length) {
      await finish(job, steps);
      return;
    }
    const step = steps[index] as number;
    const k = ((job.tick - 2) % ticksPerStep) + 1;
    job.current_step = step === 1 ? 'step1_background' : step === 2 ? 'step2_text' : 'step3_composite';
    job.message = step === 1 ? 'Step 1: Generating Background...' : step === 2 ? 'Step 2: Generating 3D Text...' : 'Step 3: Intelligent Compositing...';
    const name = step === 1 ? (k <= ticksPerStep / 2 ? 'flux_bg_generation' : 'flux_feature_injection') : step === 2 ? 'sdxl_text_generation' : 'intelligent_composite';
    job.sub_step = `${name} (${k}/${ticksPerStep}.5)`;
    // progress_percent is measured against the whole pipeline and reset at the half-way point of each
    // step (as the real server's statistics-based figure can be): it goes backwards.
    const base = ((step - 1) / 3) * 100;
    job.progress_percent = Math.round(k === Math.ceil(ticksPerStep / 2) + 1 ? base : base + (k / ticksPerStep) * 33);
    // A countdown that keeps running past zero.
    job.eta_seconds -= 1;
  }

  async function finish(job: FakeJob, steps: number[]): Promise<void> {
    const p = job.parameters;
    let step1 = job.images.step1_result;
    if (steps.includes(1)) step1 = await backgroundPng(p);
    else if (typeof p.step1_image === 'string') step1 = p.step1_image;
    if (job.status !== 'running') return; // stopped meanwhile
    if (step1) job.images.step1_result = step1;
    if (steps.includes(2) || steps.includes(3)) {
      const withText = await textBandPng(step1 as string);
      if (job.status !== 'running') return;
      job.images.step2_result = withText;
      job.images.final_result = withText;
    } else if (step1) {
      job.images.final_result = step1;
    }
    job.status = 'completed';
    job.progress_percent = 100;
    job.sub_step = null;
    job.message = steps.length === 1 && steps[0] === 1 ? 'Step 1 completed (stopped at stop_step=1).' : 'Completed.';
    stopTimer(job);
  }

  function stopTimer(job: FakeJob): void {
    if (job.timer) clearInterval(job.timer);
    job.timer = null;
  }

  function startTimer(job: FakeJob, ticks = Infinity): void {
    let busy = false;
    job.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      if (ticks !== Infinity) {
        job.tick++;
        job.status = job.tick >= ticks ? 'completed' : 'running';
        if (job.tick === 1) job.start_time = Date.now() / 1000;
        job.progress_percent = Math.min(100, Math.round((job.tick / ticks) * 100));
        if (job.status === 'completed') stopTimer(job);
        busy = false;
        return;
      }
      advance(job)
        .catch((e: Error) => {
          job.status = 'error';
          job.message = `test double: ${e.message}`;
          stopTimer(job);
        })
        .finally(() => {
          busy = false;
        });
    }, tickMs);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double.invalid');
    const path = url.pathname;
    const { raw, json } = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path, bytes: raw.length, at: Date.now() });
    const method = req.method ?? 'GET';
    const idOf = (prefix: string) => decodeURIComponent(path.slice(prefix.length));

    if (method === 'POST' && path === '/generate') {
      if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
        return send(res, 422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
      }
      const body = json as Record<string, unknown>;
      const start = body.start_step ?? 1;
      if (typeof start !== 'number' || !Number.isInteger(start) || start < 1 || start > 3) {
        return send(res, 422, { detail: [{ loc: ['body', 'start_step'], msg: 'Input should be less than or equal to 3', type: 'less_than_equal' }] });
      }
      const busy = active();
      if (busy.length) {
        const current = busy[0] as FakeJob;
        const elapsed = Date.now() / 1000 - (current.start_time ?? Date.now() / 1000);
        const remain = Math.max(0, Math.floor(estimate - elapsed));
        return send(res, 503, { status: 'busy', message: `Busy. Retry after ${remain}s`, retry_after: remain }, { 'retry-after': String(remain) });
      }
      // The whole request is kept and echoed back in every status, images included.
      const job = newJob({ start_step: 1, stop_step: null, text_content: null, bg_model: 'flux', ...body });
      startTimer(job);
      return send(res, 200, { job_id: job.id, status: 'started' });
    }
    if (method === 'GET' && path.startsWith('/status/')) {
      const job = jobs.get(idOf('/status/'));
      if (!job) return send(res, 404, { detail: 'Job not found' });
      const elapsed = job.start_time ? Date.now() / 1000 - job.start_time : 0;
      return send(res, 200, {
        job_id: job.id,
        status: job.status,
        progress_percent: job.progress_percent,
        current_step: job.current_step,
        sub_step: job.sub_step,
        message: job.message,
        elapsed_sec: Math.round(elapsed * 10) / 10,
        eta_seconds: job.eta_seconds,
        step_eta_seconds: job.eta_seconds,
        system_metrics: metrics(),
        parameters: job.parameters,
        step1_result: job.images.step1_result ?? null,
        step2_result: job.images.step2_result ?? null,
        final_result: job.images.final_result ?? null,
      });
    }
    if (method === 'POST' && path.startsWith('/stop/')) {
      const job = jobs.get(idOf('/stop/'));
      if (!job) return send(res, 404, { detail: 'Job not found' });
      stopTimer(job);
      job.status = 'stopped'; // even when it had completed: the documented quirk
      return send(res, 200, { job_id: job.id, status: 'stopped' });
    }
    if (method === 'GET' && path === '/jobs') {
      const list = [...jobs.values()].map((j) => ({ job_id: j.id, status: j.status, progress_percent: j.progress_percent, current_step: j.current_step, message: j.message, start_time: j.start_time }));
      return send(res, 200, {
        total_jobs: list.length,
        active_jobs: active().length,
        completed_jobs: list.filter((j) => j.status === 'completed').length,
        failed_jobs: list.filter((j) => j.status === 'failed').length,
        jobs: list,
      });
    }
    if (method === 'DELETE' && path.startsWith('/jobs/')) {
      const job = jobs.get(idOf('/jobs/'));
      if (!job) return send(res, 404, { detail: 'Job not found' });
      if (job.status === 'running' || job.status === 'pending') return send(res, 400, { detail: 'Cannot delete running job. Please stop it first using /stop/{job_id}' });
      jobs.delete(job.id);
      return send(res, 200, { job_id: job.id, status: 'deleted', message: 'Job successfully deleted from memory' });
    }
    if (method === 'POST' && path === '/server-reset') {
      for (const j of jobs.values()) stopTimer(j);
      const n = jobs.size;
      jobs.clear();
      return send(res, 200, { status: 'reset', message: `cleared ${n} jobs` });
    }
    if (method === 'GET' && path === '/health') {
      const n = active().length;
      return send(res, 200, { status: n > 0 ? 'busy' : 'healthy', server_time: Date.now() / 1000, total_jobs: jobs.size, active_jobs: n, system_metrics: metrics() });
    }
    if (method === 'GET' && path === '/fonts') return send(res, 200, { fonts: FAKE_FONTS });
    return send(res, 404, { detail: 'Not Found' });
  }

  let server: Server;
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((req, res) => {
        handle(req, res).catch((e: Error) => send(res, 500, { detail: e.message }));
      });
      s.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  const shut = (s: Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  server = await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    count: (method, prefix) => requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    job: (id) => jobs.get(id),
    jobIds: () => [...jobs.keys()],
    failNextJob(message, status = 'error', count = 1) {
      failNext = { status, message };
      failCount = count;
    },
    startForeignJob(ticks = 20) {
      const job = newJob({ start_step: 1, stop_step: 1, text_content: null, bg_prompt: 'another client' });
      job.status = 'running';
      job.start_time = Date.now() / 1000;
      startTimer(job, ticks);
      return job.id;
    },
    wedge() {
      const job = newJob({ start_step: 1, stop_step: null, text_content: 'SALE' });
      job.status = 'running';
      job.current_step = 'step1_background';
      job.sub_step = 'flux_bg_generation (3/25.5)';
      job.progress_percent = 4;
      job.message = 'Step 1: Generating Background...';
      // Started long enough ago that Retry-After says 0: the estimate ran out, the lock stays.
      job.start_time = Date.now() / 1000 - estimate - 5;
      return job.id;
    },
    async restart(downMs = 0) {
      for (const j of jobs.values()) stopTimer(j);
      jobs.clear();
      if (downMs > 0) {
        await shut(server);
        await new Promise((r) => setTimeout(r, downMs));
        server = await listen(port);
      }
    },
    setGpu(next) {
      gpu = next;
    },
    async close() {
      for (const j of jobs.values()) stopTimer(j);
      await shut(server);
    },
  };
}

/** The "background": a flat colour (from the seed) with the product, if any, pasted near the bottom. */
async function backgroundPng(p: Record<string, unknown>): Promise<string> {
  const seed = typeof p.seed === 'number' ? p.seed : 7;
  const base = sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: 180 } } });
  const layers: OverlayOptions[] = [];
  if (typeof p.product_image === 'string') {
    const product = await sharp(Buffer.from(p.product_image, 'base64')).removeAlpha().resize(32, 32, { fit: 'inside' }).png().toBuffer();
    layers.push({ input: product, left: 32, top: 28 });
  }
  return (await base.composite(layers).png().toBuffer()).toString('base64');
}

/** The "text": a white band across the top quarter of the step-1 image. */
async function textBandPng(step1: string): Promise<string> {
  const img = sharp(Buffer.from(step1, 'base64'));
  const { width = 96, height = 64 } = await img.metadata();
  const band = await sharp({ create: { width, height: Math.max(1, Math.round(height / 4)), channels: 3, background: '#ffffff' } }).png().toBuffer();
  return (await img.composite([{ input: band, left: 0, top: 0 }]).png().toBuffer()).toString('base64');
}
