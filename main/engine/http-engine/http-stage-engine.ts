import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { RunConnectionLost } from '../../core/scheduler/stage-errors.js';
import type { CapabilitiesResponse, StageRunRecord } from '../../server/engine-protocol/protocol-types.js';
import type { EngineCapabilities, EngineHealth, MemoryReport, ModelInfo, StageContext, StageEngine, StageRequest, StageResult } from '../stage-engine.js';
import { followRun } from './follow-run.js';
import { NoAnswer, ProtocolClient } from './protocol-client.js';

export interface HttpStageEngineOptions {
  /** e.g. "http://127.0.0.1:8765" (an `adstudio serve`, on this machine or in a container). */
  baseUrl: string;
  token: string;
  /**
   * Where this side sees the server's workspace, when it is mounted elsewhere (a container's bind
   * mount: the host path). Paths inside it are sent relative; results come back under it. Default:
   * the server's own root, i.e. the server runs on this machine's file system.
   */
  localWorkspace?: string;
  /** First reconnect delay of a followed run's event stream; doubles up to 5 s (default 250 ms). */
  reconnectDelayMs?: number;
  /** Failed reconnects in a row before a followed run gives up with engine-busy (default 20, about a minute). */
  maxReconnects?: number;
  /** No byte, not even a heartbeat, for this long and the stream is reconnected (default 45 s; the server beats every 15 s). */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface HttpStageEngine extends StageEngine {
  /** Follows a run started earlier (its id came through StageContext.onRunId) until it ends; progress and cancel as runStage. */
  reattach(runId: string, context: StageContext): Promise<StageResult>;
}

/**
 * StageEngine over engine protocol v1 (docs/engine-protocol.openapi.yaml): what the scheduler uses to
 * drive an `adstudio serve` elsewhere — another process, a container, a GPU box on the network.
 */
export function createHttpStageEngine(o: HttpStageEngineOptions): HttpStageEngine {
  const client = new ProtocolClient(o);
  const closed = new AbortController();
  let serverRoot: Promise<string> | null = null;
  const localRoot = async () => o.localWorkspace ?? (await (serverRoot ??= getCapabilities().then((c) => c.workspaceRoot)));

  function getCapabilities(): Promise<CapabilitiesResponse> {
    return client.call<CapabilitiesResponse>('GET', '/v1/capabilities').catch((e: unknown) => {
      serverRoot = null;
      throw e;
    });
  }

  /** Local path → what the server understands: relative to the workspace when it is inside ours. */
  const toServer = (path: string): string => {
    if (!o.localWorkspace || !isAbsolute(path)) return path;
    const rel = relative(o.localWorkspace, path);
    if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return path;
    return rel.split(sep).join('/');
  };
  const fromServer = (root: string) => (path: string) => (isAbsolute(path) ? path : join(root, ...path.split('/')));

  const follow = async (runId: string, context: StageContext): Promise<StageResult> => {
    const root = await localRoot();
    return followRun({
      client,
      runId,
      context,
      closed: closed.signal,
      reconnectDelayMs: o.reconnectDelayMs ?? 250,
      maxReconnects: o.maxReconnects ?? 20,
      idleTimeoutMs: o.idleTimeoutMs ?? 45_000,
      toResult: (run: StageRunRecord) => {
        const result = run.result;
        if (!result) throw new AppError('engine', `stage run ${run.id} ended without a result`);
        const outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, fromServer(root)(v)]));
        return { outputs, madeBy: result.madeBy, ...(result.peakMb !== null ? { peakMb: result.peakMb } : {}) };
      },
    });
  };

  const map = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toServer(v)]));

  /** Set once a server refuses client-chosen run ids (an older adstudio serve). */
  let legacyServer = false;

  /** Best effort, bounded: a cancel the server never hears leaves nothing behind but a run that ends by itself. */
  const cancelRun = (id: string) => client.call('POST', `/v1/stages/${encodeURIComponent(id)}/cancel`, {}, AbortSignal.timeout(30_000)).catch(() => undefined);

  /**
   * POST /v1/stages with a run id chosen here, told to the caller before the request goes out (the
   * scheduler stores it for a reattach), then follow the run. Knowing the id first means a stage
   * can be cancelled or picked up even when the answer to the POST never arrives; the server starts
   * one run per id however often the POST is repeated.
   */
  async function runStage(request: StageRequest, context: StageContext): Promise<StageResult> {
    if (closed.signal.aborted) throw new AppError('engine', 'the engine client is closed');
    if (context.signal.aborted) throw new AppError('cancelled', 'the stage was cancelled');
    const body = { kind: request.kind, model: request.model, inputs: map(request.inputs), outputs: map(request.outputs), ...(request.params ? { params: request.params } : {}) };
    if (legacyServer) {
      const { run } = await client.call<{ run: StageRunRecord }>('POST', '/v1/stages', body, context.signal);
      context.onRunId?.(run.id);
      return follow(run.id, context);
    }
    const id = newRunId();
    context.onRunId?.(id);
    try {
      await client.call<{ run: StageRunRecord }>('POST', '/v1/stages', { id, ...body }, context.signal);
    } catch (e) {
      if (e instanceof AppError && e.code === 'bad-request' && /unrecognized key.*"id"/i.test(e.message)) {
        // A server from before client-chosen run ids: the old way (the id comes with the answer).
        legacyServer = true;
        return runStage(request, context);
      }
      if (context.signal.aborted) {
        // Cancelled while the POST was on its way: the server may have started the run, or may start
        // it yet. Cancelling by id covers both (the server remembers an id cancelled before it arrived).
        await cancelRun(id);
        throw new AppError('cancelled', 'the stage was cancelled');
      }
      if (e instanceof NoAnswer && e.mayHaveArrived) {
        throw new RunConnectionLost(id, `${e.message}; the engine may have started stage run ${id} anyway (follow it by its id)`);
      }
      throw e;
    }
    return follow(id, context);
  }

  return {
    async capabilities(): Promise<EngineCapabilities> {
      const c = await getCapabilities();
      return { engine: 'adstudio-serve', version: c.serverVersion, protocol: c.protocol, simulated: c.simulated, stages: c.stages, inpaintMethods: c.inpaintMethods };
    },

    async health(): Promise<EngineHealth> {
      try {
        const h = await client.call<EngineHealth>('GET', '/v1/health', undefined, AbortSignal.timeout(5_000));
        return { status: h.status, simulated: h.simulated, gpu: h.gpu, ...(h.message ? { message: h.message } : {}) };
      } catch (e) {
        return { status: 'unhealthy', message: (e as Error).message, simulated: false, gpu: null };
      }
    },

    async models(): Promise<ModelInfo[]> {
      return (await client.call<{ models: ModelInfo[] }>('GET', '/v1/models')).models;
    },

    async load(modelId, options): Promise<void> {
      await client.call('POST', `/v1/models/${encodeURIComponent(modelId)}/load`, {}, options?.signal);
    },

    async unload(modelId): Promise<void> {
      await client.call('POST', `/v1/models/${encodeURIComponent(modelId)}/unload`, {});
    },

    async memory(): Promise<MemoryReport | null> {
      return (await client.call<{ gpu: MemoryReport | null }>('GET', '/v1/memory')).gpu;
    },

    runStage,
    reattach: (runId, context) => follow(runId, context),

    async close(): Promise<void> {
      closed.abort();
    },
  };
}

/** The server's run id format (`r-` and 16 hex digits); 64 random bits, so two clients never pick the same. */
function newRunId(): string {
  return `r-${randomBytes(8).toString('hex')}`;
}
