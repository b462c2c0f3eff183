import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLog, ProtocolEvent } from './event-log.js';

export interface EventStreamOptions {
  log: EventLog;
  /** A comment line this often keeps proxies and clients from timing the stream out. */
  heartbeatMs: number;
  /** Only events this returns true for are sent (reset events always are). */
  filter: (event: ProtocolEvent) => boolean;
  /** Added to every event's data. */
  simulated: boolean;
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
    const send = (e: ProtocolEvent) => res.write(frame(e, o.simulated));
    res.write(`retry: 1000\n: adstudio engine events${o.simulated ? ' (simulated)' : ''}\n\n`);

    // Subscribe and replay in the same tick: nothing can be appended in between.
    const unsubscribe = o.log.subscribe((e) => o.filter(e) && send(e));
    if (lastEventId) {
      const replay = o.log.since(lastEventId);
      if (replay.kind === 'reset') send({ id: o.log.lastId(), type: 'reset', data: { type: 'reset', reason: replay.reason } });
      else for (const e of replay.events) if (o.filter(e)) send(e);
    }
    const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), o.heartbeatMs);
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
