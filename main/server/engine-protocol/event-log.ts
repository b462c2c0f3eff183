import { randomBytes } from 'node:crypto';

/** One server-sent event: `id` for Last-Event-ID, `type` as the SSE event name, `data` as its JSON. */
export interface ProtocolEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export type Replay = { kind: 'events'; events: ProtocolEvent[] } | { kind: 'reset'; reason: string };

/**
 * The events of this server process, numbered, with the newest `capacity` kept so a client that
 * reconnects with Last-Event-ID gets exactly what it missed. Ids are "<boot>-<seq>": an id from
 * before a restart, or one that has already left the buffer, cannot be replayed, and the client is
 * told to reset (re-read state) instead of silently missing events.
 */
export class EventLog {
  readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly ring: ProtocolEvent[] = [];
  private readonly listeners = new Set<(event: ProtocolEvent) => void>();

  constructor(private readonly capacity = 1000) {}

  append(type: string, data: Record<string, unknown>): ProtocolEvent {
    const event: ProtocolEvent = { id: `${this.boot}-${++this.seq}`, type, data };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** The id of the newest event (`<boot>-0` before the first): a client that saw it missed nothing. */
  lastId(): string {
    return `${this.boot}-${this.seq}`;
  }

  /** What a client that saw `lastEventId` missed. */
  since(lastEventId: string): Replay {
    const m = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId.trim());
    if (!m || m[1] !== this.boot) {
      return { kind: 'reset', reason: 'the server restarted since that event (or the id is not one of its own); read the current state again' };
    }
    const seen = Number(m[2]);
    if (seen > this.seq) return { kind: 'reset', reason: 'that event id is newer than any this server sent' };
    const oldest = this.ring[0] ? Number(this.ring[0].id.split('-')[1]) : this.seq + 1;
    if (seen + 1 < oldest) return { kind: 'reset', reason: `more than ${this.capacity} events happened since then; read the current state again` };
    return { kind: 'events', events: this.ring.filter((e) => Number(e.id.split('-')[1]) > seen) };
  }

  subscribe(listener: (event: ProtocolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
