import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../../preload/contract/index.js';
import { isModelArbiter, type ModelArbiter } from '../../core/scheduler/model-arbiter.js';
import type { JobScheduler } from '../../core/scheduler/scheduler-types.js';
import type { StageEngine } from '../../engine/stage-engine.js';
import { assertUsableToken, tokensEqual } from '../auth.js';
import { EventLog } from './event-log.js';
import { createEngineArbiter } from './engine-arbiter.js';
import { DEFAULT_MAX_BODY_BYTES, sendJson } from './http-io.js';
import { jobForClient } from './job-paths.js';
import { ProtocolError, statusOf, toErrorShape } from './protocol-errors.js';
import { RouteTable, type Method } from './route-table.js';
import { createRoutes, memoryViewOf } from './routes.js';
import { RunStore } from './run-store.js';
import { EventStreams } from './sse.js';
import { StageRuns } from './stage-runs.js';
import { Workspace } from './workspace.js';

export interface EngineProtocolServerOptions {
  host: string;
  port: number;
  token: string;
  version: string;
  engine: StageEngine;
  /** Runs POST /v1/jobs on this server; its events are relayed on /v1/events. */
  scheduler: JobScheduler;
  /**
   * Arbitrates clients' loads, unloads and stage runs with the scheduler's own work (budget, models
   * in use). Default: the scheduler itself when it is one (createScheduler's is), else a plain
   * arbiter over the engine.
   */
  arbiter?: ModelArbiter;
  /** Inputs and outputs live here (absolute); created when missing. */
  workspace: string;
  maxBodyBytes?: number;
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** Events kept for Last-Event-ID replay (default 1000). */
  eventBuffer?: number;
  /** Where unexpected errors are reported (default stderr). */
  log?: (line: string) => void;
}

export interface EngineProtocolServer {
  url: string;
  port: number;
  /** Every route it answers (method + OpenAPI path), for documentation checks. */
  routes: ReadonlyArray<{ method: Method; path: string; auth: boolean }>;
  simulated: boolean;
  workspaceRoot: string;
  /** Stops accepting, ends event streams, cancels direct stage runs, lets open requests finish (up to 5 s). */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

/**
 * Engine protocol v1 over HTTP (docs/engine-protocol.openapi.yaml): what `adstudio serve` runs, in a
 * container or on the host. The engine and the scheduler are given; this is transport, auth, path
 * policy and run records only.
 */
export async function startEngineProtocolServer(o: EngineProtocolServerOptions): Promise<EngineProtocolServer> {
  assertUsableToken(o.token);
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const eventBuffer = o.eventBuffer ?? 1000;
  const workspace = await Workspace.open(o.workspace);
  const capabilities = await o.engine.capabilities();
  const simulated = capabilities.simulated;
  const events = new EventLog(eventBuffer);
  const streams = new EventStreams();
  const arbiter =
    o.arbiter ??
    (isModelArbiter(o.scheduler)
      ? o.scheduler
      : createEngineArbiter(o.engine, { emit: (e) => events.append(e.type, { ...e }), memoryView: () => memoryViewOf(o.engine, simulated) }));
  const runs = new StageRuns({ engine: o.engine, arbiter, workspace, store: new RunStore(`${workspace.recordsDir}/runs`), events, simulated, log });
  const table = new RouteTable(
    createRoutes({ engine: o.engine, scheduler: o.scheduler, arbiter, workspace, runs, events, streams, capabilities, version: o.version, maxBodyBytes, heartbeatMs, eventBuffer, startedAt: Date.now() }),
  );
  const simulatedHeader: Record<string, string> = simulated ? { 'x-adstudio-simulated': 'true' } : {};
  const reply = (res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    sendJson(res, status, { ...body, simulated }, { ...simulatedHeader, ...headers });

  const unsubscribe = o.scheduler.subscribe((e) => {
    if (e.type === 'job') events.append('job', { type: 'job', job: jobForClient(e.job, workspace) });
    else events.append(e.type, { ...e });
  });

  const loopback = LOOPBACK_NAMES.includes(o.host);
  // Sockets with the number of requests in progress on each: on close, every socket without one is
  // ended (including connections a client opened but never used, which closeIdleConnections misses).
  const sockets = new Map<Socket, number>();
  const server: Server = createServer((req, res) => {
    const socket = req.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    res.on('close', () => sockets.has(socket) && sockets.set(socket, Math.max(0, (sockets.get(socket) ?? 1) - 1)));
    handle(req, res).catch((e: unknown) => {
      const status = statusOf(e);
      if (status >= 500) log(`${req.method} ${req.url?.split('?')[0]} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (res.headersSent) return void res.destroy();
      reply(res, status, { error: toErrorShape(e) }, status === 413 ? { connection: 'close' } : {});
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://engine.invalid');
    // Against DNS rebinding on a loopback bind: only loopback names may appear in Host (any port:
    // a container's port may be published under another number).
    if (loopback) {
      const name = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
      if (!LOOPBACK_NAMES.includes(name)) {
        throw new ProtocolError('unauthorized', `this engine answers only to a loopback address, not to Host "${req.headers.host ?? ''}"`, 403);
      }
    }
    const found = table.match(req.method ?? 'GET', url.pathname);
    if (found.route && !found.route.auth) return send(res, await found.route.handle({ req, res, url, params: found.params }));
    if (!authorized(req, url, o.token)) {
      return reply(res, 401, { error: { code: 'unauthorized', message: 'this engine needs its access token: send "Authorization: Bearer <token>"' } }, { 'www-authenticate': 'Bearer' });
    }
    if (!found.route) {
      if (found.allowed.length) {
        return reply(res, 405, { error: { code: 'bad-request', message: `use ${found.allowed.join(' or ')} for ${url.pathname}` } }, { allow: found.allowed.join(', ') });
      }
      throw new AppError('not-found', `no route ${req.method} ${url.pathname}; see docs/engine-protocol.openapi.yaml`);
    }
    return send(res, await found.route.handle({ req, res, url, params: found.params }));
  }

  function send(res: ServerResponse, r: { status: number; body: Record<string, unknown> } | undefined): void {
    if (r) reply(res, r.status, r.body);
  }

  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.on('close', () => sockets.delete(socket));
  });
  const endIdleSockets = () => {
    for (const [socket, active] of sockets) if (active === 0) socket.destroy();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new AppError('io', `port ${o.port} on ${o.host} is already in use; choose another with --port`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new AppError('bad-request', `cannot listen on ${o.host}: no such address on this machine`));
      else reject(e);
    });
    server.listen(o.port, o.host, () => resolve());
  }).catch((e: unknown) => {
    unsubscribe();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  let closing: Promise<void> | null = null;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    routes: table.routes.map(({ method, path, auth }) => ({ method, path, auth })),
    simulated,
    workspaceRoot: workspace.root,
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        const stopped = new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), 5_000);
          // Keep-alive connections whose last request ends after close() would otherwise linger.
          endIdleSockets();
          const sweep = setInterval(endIdleSockets, 50);
          server.close(() => {
            clearTimeout(force);
            clearInterval(sweep);
            resolve();
          });
        });
        // Runs first, so followers hear how their stage ended before the streams go.
        await runs.close();
        streams.closeAll();
        await stopped;
      })()),
  };
}

function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
  // ?token= for clients that cannot set headers (EventSource, <img src>).
  const given = bearer ?? url.searchParams.get('token');
  return given !== null && tokensEqual(given, token);
}
