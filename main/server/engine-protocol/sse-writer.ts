/** The part of a ServerResponse the writer needs (a Writable). */
export interface SseSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface SseWriterOptions {
  /** Frames held back for a slow client at most; past that `onOverflow` runs (default 1000). */
  maxQueued?: number;
  /** The client cannot keep up even with coalescing: end its stream (it reconnects with Last-Event-ID). */
  onOverflow: () => void;
}

/**
 * Writes one client's event stream with backpressure. While the socket takes data, frames go
 * straight out. Once write() returns false, frames wait for 'drain' in order; a progress frame
 * (one with a `key`, e.g. the state of a running stage) replaces the waiting frame with the same
 * key, since only the newest state matters — frames without a key (a run's final state, a model
 * load, a reset) are never dropped. Heartbeats are skipped while data is waiting anyway. A client
 * so slow that even the coalesced queue overflows is cut off; on reconnect, Last-Event-ID replays
 * what it missed (or tells it to reset), so nothing final is lost.
 */
export class SseWriter {
  private readonly queue: Array<{ key: string | null; text: string }> = [];
  private waiting = false;
  private overflowed = false;
  /** Progress frames replaced by a newer one of the same key (for tests and logs). */
  coalesced = 0;

  constructor(
    private readonly sink: SseSink,
    private readonly options: SseWriterOptions,
  ) {}

  /** True while frames wait for the client to read. */
  get congested(): boolean {
    return this.waiting;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** A frame; `key` marks it as progress that a newer frame with the same key supersedes. */
  send(text: string, key: string | null = null): void {
    if (this.overflowed) return;
    if (!this.waiting) {
      if (!this.sink.write(text)) this.waitForDrain();
      return;
    }
    if (key !== null) {
      const older = this.queue.findIndex((q) => q.key === key);
      if (older >= 0) {
        // Removed, not replaced in place: frames stay in id order.
        this.queue.splice(older, 1);
        this.coalesced++;
      }
    }
    this.queue.push({ key, text });
    if (this.queue.length > (this.options.maxQueued ?? 1000)) {
      this.overflowed = true;
      this.queue.length = 0;
      this.options.onOverflow();
    }
  }

  /** A comment line (heartbeat): only when nothing is waiting — pending frames prove the stream alive. */
  comment(text: string): void {
    if (!this.waiting && !this.overflowed && !this.sink.write(text)) this.waitForDrain();
  }

  private waitForDrain(): void {
    this.waiting = true;
    this.sink.once('drain', () => this.flush());
  }

  private flush(): void {
    this.waiting = false;
    while (this.queue.length > 0 && !this.overflowed) {
      const next = this.queue.shift() as { text: string };
      if (!this.sink.write(next.text)) {
        this.waitForDrain();
        return;
      }
    }
  }
}
