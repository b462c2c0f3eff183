import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLog, ProtocolEvent } from './event-log.js';
import { SseWriter } from './sse-writer.js';

export interface EventStreamOptions {
  log: EventLog;
  /** A comment line this often keeps proxies and clients from timing the stream out. */
  heartbeatMs: number;
  /** Only events this returns true for are sent (reset events always are). */
  filter: (event: ProtocolEvent) => boolean;
  /** Added to every event's data. */
  simulated: boolean;
  /** Frames held for a client that does not keep up, at most (default 1000; see SseWriter). */
  maxQueued?: number;
}

/** Open event streams, so a closing server can end them instead of waiting for clients to leave. */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  /**
   * Serves GET /v1/events: first what the client missed since Last-Event-ID (header, or
   * `?lastEventId=` for clients that cannot set headers), or a `reset` event when that cannot be
   * replayed, then live events, with heartbeats in between.
   */
  serve(req: IncomingMessage, res: ServerResponse, lastEventId: string | null, o: EventStreamOptions): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // The stream is the whole connection: when the server ends it, the socket goes too.
      connection: 'close',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      ...(o.simulated ? { 'x-adstudio-simulated': 'true' } : {}),
    });
    res.socket?.setNoDelay(true);
    // A slow client gets progress coalesced, never unbounded memory here; a hopeless one is cut off
    // and reconnects with Last-Event-ID.
    const writer = new SseWriter(res, { maxQueued: o.maxQueued ?? 1000, onOverflow: () => res.end() });
    const send = (e: ProtocolEvent) => writer.send(frame(e, o.simulated), progressKey(e));
    writer.comment(`retry: 1000\n: adstudio engine events${o.simulated ? ' (simulated)' : ''}\n\n`);

    // Subscribe and replay in the same tick: nothing can be appended in between.
    const unsubscribe = o.log.subscribe((e) => o.filter(e) && send(e));
    if (lastEventId) {
      const replay = o.log.since(lastEventId);
      if (replay.kind === 'reset') send({ id: o.log.lastId(), type: 'reset', data: { type: 'reset', reason: replay.reason } });
      else for (const e of replay.events) if (o.filter(e)) send(e);
    }
    const heartbeat = setInterval(() => writer.comment(`: heartbeat ${new Date().toISOString()}\n\n`), o.heartbeatMs);
    this.open.add(res);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  /** Ends every open stream (clients reconnect with Last-Event-ID to whoever serves next). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}

function frame(e: ProtocolEvent, simulated: boolean): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e.data, simulated })}\n\n`;
}

/**
 * Events that only report progress of something still going (a running stage, a queued or running
 * job, the memory view) carry a key: for a slow client a newer one with the same key replaces it.
 * Final states, model loads and resets have none and are always delivered.
 */
export function progressKey(e: ProtocolEvent): string | null {
  if (e.type === 'memory') return 'memory';
  if (e.type === 'stage') {
    const run = e.data.run as { id?: string; status?: string } | undefined;
    return run?.status === 'running' ? `stage:${run.id}` : null;
  }
  if (e.type === 'job') {
    const job = e.data.job as { id?: string; status?: string } | undefined;
    return job?.status === 'queued' || job?.status === 'running' ? `job:${job.id}` : null;
  }
  return null;
}
