import { AppError } from '../../../preload/contract/index.js';
import { RunConnectionLost } from '../../core/scheduler/stage-errors.js';
import type { StageRunRecord } from '../../server/engine-protocol/protocol-types.js';
import type { StageContext, StageResult } from '../stage-engine.js';
import { errorFromBody, type ProtocolClient } from './protocol-client.js';
import { readSse } from './sse-reader.js';

export interface FollowOptions {
  client: ProtocolClient;
  runId: string;
  context: StageContext;
  /** Aborted when the engine client closes. */
  closed: AbortSignal;
  toResult: (run: StageRunRecord) => StageResult;
  reconnectDelayMs: number;
  maxReconnects: number;
  idleTimeoutMs: number;
}

/**
 * Follows one stage run on the server until it ends: `stage` events from /v1/events?run=<id> for
 * progress, the run record (GET /v1/stages/<id>) after every (re)connect so nothing that happened
 * between connections is lost, reconnects with Last-Event-ID and backoff when the stream drops or
 * goes quiet past the heartbeat, and cancel through POST /v1/stages/<id>/cancel. Giving up on the
 * connection rejects with RunConnectionLost (the run may still be going; follow it again by its id).
 */
export function followRun(o: FollowOptions): Promise<StageResult> {
  const { client, runId, context } = o;
  const runPath = `/v1/stages/${encodeURIComponent(runId)}`;
  return new Promise<StageResult>((resolve, reject) => {
    let settled = false;
    let cancelling = false;
    let shown = { step: -1, total: -1 };
    const stop = new AbortController();

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      stop.abort();
      context.signal.removeEventListener('abort', onAbort);
      o.closed.removeEventListener('abort', onClosed);
      outcome();
    };

    const onRun = (run: StageRunRecord) => {
      if (settled || run.id !== runId) return;
      // Monotonic for the caller even if events and status reads arrive out of order.
      const forward = run.totalSteps > 0 && (run.totalSteps !== shown.total ? run.step >= 0 : run.step > shown.step);
      if (forward) {
        shown = { step: run.step, total: run.totalSteps };
        context.onProgress?.(run.step, run.totalSteps, run.message ?? undefined);
      }
      if (cancelling) return;
      if (run.status === 'done') {
        let result: StageResult;
        try {
          result = o.toResult(run);
        } catch (e) {
          return finish(() => reject(e));
        }
        finish(() => resolve(result));
      }
      if (run.status === 'cancelled') finish(() => reject(new AppError('cancelled', 'the stage was cancelled on the engine')));
      else if (run.status === 'failed') finish(() => reject(new AppError(run.error?.code ?? 'engine', run.error?.message ?? 'the stage failed on the engine')));
    };

    const refresh = (signal: AbortSignal) => client.call<{ run: StageRunRecord }>('GET', runPath, undefined, signal).then((r) => onRun(r.run));

    function onAbort() {
      cancelling = true;
      // Waits (bounded) for the server to confirm, so the model is free again when this rejects.
      client
        .call<{ run: StageRunRecord }>('POST', `${runPath}/cancel`, {}, AbortSignal.timeout(30_000))
        .catch(() => undefined)
        .finally(() => finish(() => reject(new AppError('cancelled', 'the stage was cancelled'))));
    }
    function onClosed() {
      finish(() => reject(new RunConnectionLost(runId, `the engine client was closed while stage run ${runId} ran; it may still be running on the engine (reattach to follow it)`)));
    }
    if (context.signal.aborted) return onAbort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    if (o.closed.aborted) return onClosed();
    o.closed.addEventListener('abort', onClosed, { once: true });

    void (async () => {
      let lastEventId: string | null = null;
      let failures = 0;
      let lastError = '';
      while (!settled) {
        const conn = new AbortController();
        const unlink = link(stop.signal, conn);
        let idle: NodeJS.Timeout | undefined;
        const bump = () => {
          clearTimeout(idle);
          idle = setTimeout(() => conn.abort(), o.idleTimeoutMs);
        };
        try {
          const headers: Record<string, string> = { accept: 'text/event-stream' };
          if (lastEventId) headers['last-event-id'] = lastEventId;
          const res = await client.send(`/v1/events?run=${encodeURIComponent(runId)}`, {
            headers,
            signal: conn.signal,
          });
          if (!res.ok || !res.body) throw errorFromBody(res.status, await res.json().catch(() => null), 'GET /v1/events');
          bump();
          await refresh(conn.signal);
          failures = 0;
          await readSse(
            res.body,
            (e) => {
              if (e.id) lastEventId = e.id;
              if (e.event === 'stage') onRun((JSON.parse(e.data) as { run: StageRunRecord }).run);
              // The server could not replay what was missed: read the record instead.
              else if (e.event === 'reset') refresh(conn.signal).catch(() => conn.abort());
            },
            bump,
          );
          lastError = 'the event stream ended';
        } catch (e) {
          if (settled) break;
          const err = client.failure(e, undefined, 'following the stage');
          if (err.code !== 'engine-busy') {
            finish(() => reject(err));
            break;
          }
          lastError = err.message;
        } finally {
          clearTimeout(idle);
          unlink();
        }
        if (settled) break;
        failures++;
        if (failures > o.maxReconnects) {
          // Not "run it again": the run may still be going there. The scheduler reattaches by the id.
          finish(() => reject(new RunConnectionLost(runId, `lost the engine while stage run ${runId} ran (${lastError}); it may still be running there — reattach to follow it`)));
          break;
        }
        await sleep(Math.min(o.reconnectDelayMs * 2 ** (failures - 1), 5_000), stop.signal);
      }
    })();
  });
}

function link(parent: AbortSignal, child: AbortController): () => void {
  const abort = () => child.abort();
  if (parent.aborted) child.abort();
  else parent.addEventListener('abort', abort, { once: true });
  return () => parent.removeEventListener('abort', abort);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
