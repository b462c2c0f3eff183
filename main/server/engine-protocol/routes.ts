import { AppError } from '../../../preload/contract/index.js';
import type { ModelArbiter } from '../../core/scheduler/model-arbiter.js';
import type { JobScheduler, MemoryView } from '../../core/scheduler/scheduler-types.js';
import type { EngineCapabilities, ModelInfo, StageEngine } from '../../engine/stage-engine.js';
import type { EventLog, ProtocolEvent } from './event-log.js';
import { sendWorkspaceFile } from './file-route.js';
import { parseWith, readJsonBody } from './http-io.js';
import { jobForClient, resolveJobSpec } from './job-paths.js';
import { JOB_ID, MODEL_ID, RUN_ID, jobSpecSchema, stageRequestSchema } from './protocol-schemas.js';
import type { CapabilitiesResponse } from './protocol-types.js';
import type { Route, RouteContext } from './route-table.js';
import type { EventStreams } from './sse.js';
import type { StageRuns } from './stage-runs.js';
import type { Workspace } from './workspace.js';

export interface RouteDeps {
  engine: StageEngine;
  scheduler: JobScheduler;
  /** Clients' loads and unloads go through it: checked against the budget and the runs in progress. */
  arbiter: ModelArbiter;
  workspace: Workspace;
  runs: StageRuns;
  events: EventLog;
  streams: EventStreams;
  capabilities: EngineCapabilities;
  version: string;
  maxBodyBytes: number;
  heartbeatMs: number;
  eventBuffer: number;
  startedAt: number;
}

/** Every route of engine protocol v1. docs/engine-protocol.openapi.yaml lists exactly these (a test checks). */
export function createRoutes(d: RouteDeps): Route[] {
  const simulated = d.capabilities.simulated;
  const body = (ctx: RouteContext) => readJsonBody(ctx.req, d.maxBodyBytes);

  const findModel = async (id: string): Promise<ModelInfo> => {
    if (!MODEL_ID.test(id)) throw new AppError('bad-request', `"${id}" is not a model id`);
    const model = (await d.engine.models()).find((m) => m.id === id);
    if (!model) throw new AppError('not-found', `no model "${id}" on this engine; GET /v1/models lists them`);
    return model;
  };

  const memoryView = () => memoryViewOf(d.engine, simulated);

  /**
   * Load/unload for a remote scheduler, through the arbiter: a load that does not fit in the budget
   * next to what is resident, or an unload of a model a live run uses (a POST /v1/stages run or a
   * stage of this server's own jobs), is refused with 409 saying why and what to do. The arbiter
   * announces what it does as `model` and `memory` events, like the scheduler's own loads.
   */
  const modelAction = async (ctx: RouteContext, action: 'load' | 'unload') => {
    await body(ctx);
    const model = await findModel(ctx.params.id as string);
    // A client that hangs up while a model loads no longer wants it: stop the load.
    const gone = new AbortController();
    ctx.res.on('close', () => !ctx.res.writableFinished && gone.abort());
    if (action === 'load') await d.arbiter.loadForClient(model.id, gone.signal);
    else await d.arbiter.unloadForClient(model.id);
    return { status: 200, body: { model: await findModel(model.id) } };
  };

  const runId = (ctx: RouteContext) => {
    const id = ctx.params.runId as string;
    if (!RUN_ID.test(id)) throw new AppError('not-found', `no stage run "${id}"`);
    return id;
  };
  const jobId = (ctx: RouteContext) => {
    const id = ctx.params.id as string;
    if (!JOB_ID.test(id)) throw new AppError('not-found', `no job "${id}"`);
    return id;
  };
  const existingJob = (id: string) => {
    const job = d.scheduler.get(id);
    if (!job) throw new AppError('not-found', `no job "${id}" on this server`);
    return job;
  };
  const capabilities = (): CapabilitiesResponse => ({
    ...d.capabilities,
    serverVersion: d.version,
    workspaceRoot: d.workspace.root,
    limits: { maxBodyBytes: d.maxBodyBytes, eventBuffer: d.eventBuffer, heartbeatMs: d.heartbeatMs },
  });

  return [
    {
      method: 'GET',
      path: '/health',
      auth: false,
      handle: async () => {
        const h = await d.engine.health().catch((e: unknown) => ({ status: 'unhealthy' as const, message: (e as Error).message }));
        const status = h.status === 'healthy' ? 'healthy' : 'unhealthy';
        return { status: status === 'healthy' ? 200 : 503, body: { status, engine: d.capabilities.engine, version: d.version, ...(h.message ? { message: h.message } : {}) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/health',
      auth: true,
      handle: async () => {
        const h = await d.engine.health();
        return { status: 200, body: { ...h, engine: d.capabilities.engine, version: d.version, uptimeSeconds: Math.round((Date.now() - d.startedAt) / 1000) } };
      },
    },
    {
      // Kept from the minimal server of the containers issue (its clients check it); same facts as capabilities.
      method: 'GET',
      path: '/v1/info',
      auth: true,
      handle: async () => ({
        status: 200,
        body: { engine: d.capabilities.engine, version: d.version, protocol: d.capabilities.protocol, methods: d.capabilities.inpaintMethods.map((id) => ({ id })) },
      }),
    },
    { method: 'GET', path: '/v1/capabilities', auth: true, handle: async () => ({ status: 200, body: { ...capabilities() } }) },
    { method: 'GET', path: '/v1/models', auth: true, handle: async () => ({ status: 200, body: { models: await d.engine.models() } }) },
    { method: 'POST', path: '/v1/models/{id}/load', auth: true, handle: (ctx) => modelAction(ctx, 'load') },
    { method: 'POST', path: '/v1/models/{id}/unload', auth: true, handle: (ctx) => modelAction(ctx, 'unload') },
    { method: 'GET', path: '/v1/memory', auth: true, handle: async () => ({ status: 200, body: { ...(await memoryView()) } }) },
    {
      method: 'POST',
      path: '/v1/stages',
      auth: true,
      handle: async (ctx) => {
        const request = parseWith(stageRequestSchema, await body(ctx), 'stage request');
        const { run, created } = await d.runs.start(request);
        // 200: a repeated request with the same run id, answered with the run it already started.
        return { status: created ? 202 : 200, body: { run } };
      },
    },
    {
      method: 'GET',
      path: '/v1/stages/{runId}',
      auth: true,
      handle: async (ctx) => {
        const run = await d.runs.get(runId(ctx));
        if (!run) throw new AppError('not-found', `no stage run "${ctx.params.runId}" on this server`);
        return { status: 200, body: { run } };
      },
    },
    {
      method: 'POST',
      path: '/v1/stages/{runId}/cancel',
      auth: true,
      handle: async (ctx) => {
        await body(ctx);
        const run = await d.runs.cancel(runId(ctx));
        if (!run) throw new AppError('not-found', `no stage run "${ctx.params.runId}" on this server`);
        return { status: 200, body: { run } };
      },
    },
    {
      method: 'POST',
      path: '/v1/jobs',
      auth: true,
      handle: async (ctx) => {
        const spec = await resolveJobSpec(parseWith(jobSpecSchema, await body(ctx), 'job'), d.workspace);
        return { status: 202, body: { job: jobForClient(await d.scheduler.submit(spec), d.workspace) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/jobs',
      auth: true,
      handle: async (ctx) => {
        const active = ctx.url.searchParams.get('active');
        if (active !== null && active !== 'true' && active !== 'false') throw new AppError('bad-request', '"active" must be true or false');
        const jobs = d.scheduler.list(active === 'true' ? { active: true } : {});
        return { status: 200, body: { jobs: jobs.map((j) => jobForClient(j, d.workspace)) } };
      },
    },
    { method: 'GET', path: '/v1/jobs/{id}', auth: true, handle: async (ctx) => ({ status: 200, body: { job: jobForClient(existingJob(jobId(ctx)), d.workspace) } }) },
    {
      method: 'POST',
      path: '/v1/jobs/{id}/cancel',
      auth: true,
      handle: async (ctx) => {
        await body(ctx);
        const id = existingJob(jobId(ctx)).id;
        return { status: 200, body: { job: jobForClient(await d.scheduler.cancel(id), d.workspace) } };
      },
    },
    {
      method: 'POST',
      path: '/v1/jobs/{id}/retry',
      auth: true,
      handle: async (ctx) => {
        await body(ctx);
        const id = existingJob(jobId(ctx)).id;
        return { status: 202, body: { job: jobForClient(await d.scheduler.retry(id), d.workspace) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      auth: true,
      handle: async (ctx) => {
        const filter = eventFilter(ctx.url);
        const lastEventId = headerValue(ctx.req.headers['last-event-id']) ?? ctx.url.searchParams.get('lastEventId');
        d.streams.serve(ctx.req, ctx.res, lastEventId, { log: d.events, heartbeatMs: d.heartbeatMs, filter, simulated });
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/v1/files',
      auth: true,
      handle: async (ctx) => {
        await sendWorkspaceFile(ctx.res, d.workspace, ctx.url.searchParams.get('path'), simulated ? { 'x-adstudio-simulated': 'true' } : {});
        return undefined;
      },
    },
  ];
}

/** GET /v1/memory: the engine's own report and resident models. */
export async function memoryViewOf(engine: StageEngine, simulated: boolean): Promise<MemoryView> {
  const [gpu, models] = await Promise.all([engine.memory(), engine.models()]);
  const resident = models.filter((m) => m.resident).map(({ id, label, device, footprintMb }) => ({ id, label, device, footprintMb }));
  return { gpu, resident, simulated };
}

const EVENT_TYPES = ['stage', 'job', 'memory', 'model'];

/** `?types=stage,job`, `?run=<runId>`, `?job=<jobId>`: only what a client follows. */
function eventFilter(url: URL): (e: ProtocolEvent) => boolean {
  const typesParam = url.searchParams.get('types');
  const types = typesParam ? typesParam.split(',').map((t) => t.trim()) : null;
  const unknown = types?.find((t) => !EVENT_TYPES.includes(t));
  if (unknown !== undefined) throw new AppError('bad-request', `unknown event type "${unknown}"; use ${EVENT_TYPES.join(', ')}`);
  const run = url.searchParams.get('run');
  const job = url.searchParams.get('job');
  return (e) => {
    if (types && !types.includes(e.type)) return false;
    if (run !== null && (e.type !== 'stage' || (e.data.run as { id?: string } | undefined)?.id !== run)) return false;
    if (job !== null && (e.type !== 'job' || (e.data.job as { id?: string } | undefined)?.id !== job)) return false;
    return true;
  };
}

function headerValue(v: string | string[] | undefined): string | null {
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}
