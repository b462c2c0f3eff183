import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../../../main/server/engine-protocol/event-log.js';
import { EventStreams } from '../../../../../main/server/engine-protocol/sse.js';
import { SseWriter, type SseSink } from '../../../../../main/server/engine-protocol/sse-writer.js';

/** A sink that takes `room` writes, then says "full" until the test drains it. */
function fakeSink(room: number) {
  const written: string[] = [];
  let onDrain: (() => void) | null = null;
  let left = room;
  const sink: SseSink = {
    write(chunk) {
      written.push(chunk);
      return --left > 0;
    },
    once(_event, listener) {
      onDrain = listener;
    },
  };
  return {
    sink,
    written,
    drain(more: number) {
      left = more;
      const fn = onDrain;
      onDrain = null;
      fn?.();
    },
  };
}

describe('SseWriter: backpressure on one event stream', () => {
  it('writes straight through while the client keeps up', () => {
    const s = fakeSink(100);
    const w = new SseWriter(s.sink, { onOverflow: () => undefined });
    for (let i = 1; i <= 5; i++) w.send(`p${i}`, 'stage:r1');
    w.comment(': beat');
    expect(s.written).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', ': beat']);
    expect(w.congested).toBe(false);
  });

  it('once write() says full, waits for drain: progress is coalesced per key, final frames all arrive in order', () => {
    const s = fakeSink(1);
    const w = new SseWriter(s.sink, { onOverflow: () => undefined });
    w.send('r1 step 1', 'stage:r1'); // fills the socket
    expect(w.congested).toBe(true);
    w.send('r1 step 2', 'stage:r1');
    w.send('r2 step 1', 'stage:r2');
    w.send('model loaded', null);
    w.send('r1 step 3', 'stage:r1');
    w.comment(': heartbeat'); // pending frames already prove the stream alive
    w.send('r1 done', null);
    w.send('r2 step 2', 'stage:r2');
    expect(s.written).toEqual(['r1 step 1']);
    expect(w.queued).toBe(4);
    s.drain(100);
    expect(s.written).toEqual(['r1 step 1', 'model loaded', 'r1 step 3', 'r1 done', 'r2 step 2']);
    expect(w.coalesced).toBe(2);
    expect(w.congested).toBe(false);
  });

  it('keeps waiting when the socket fills again half-way through the queue', () => {
    const s = fakeSink(1);
    const w = new SseWriter(s.sink, { onOverflow: () => undefined });
    w.send('a', null);
    w.send('b', null);
    w.send('c', null);
    s.drain(1);
    expect(s.written).toEqual(['a', 'b']);
    expect(w.congested).toBe(true);
    s.drain(10);
    expect(s.written).toEqual(['a', 'b', 'c']);
  });

  it('cuts a client off when even the coalesced queue overflows', () => {
    const s = fakeSink(1);
    let overflowed = 0;
    const w = new SseWriter(s.sink, { maxQueued: 3, onOverflow: () => overflowed++ });
    for (let i = 0; i < 6; i++) w.send(`final ${i}`, null);
    expect(overflowed).toBe(1);
    s.drain(10);
    expect(s.written).toEqual(['final 0']);
  });
});

describe('event streams over a real socket whose client stops reading', () => {
  let server: Server | null = null;
  let client: Socket | null = null;
  afterEach(async () => {
    client?.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  it('holds a bounded queue for the slow client and still delivers the final event', async () => {
    const log = new EventLog(100);
    const streams = new EventStreams();
    server = createServer((req, res) => streams.serve(req, res, null, { log, heartbeatMs: 60_000, filter: () => true, simulated: false, maxQueued: 50 }));
    server.on('connection', (socket) => socket.setNoDelay(true));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;

    let text = '';
    client = connect(port, '127.0.0.1');
    client.setEncoding('utf8');
    client.on('data', (d: string) => (text += d));
    client.write(`GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise<void>((resolve) => {
      const check = () => (text.includes('adstudio engine events') ? resolve() : setTimeout(check, 5));
      check();
    });
    // The client stops reading; the server keeps producing (40 MB of progress: more than any socket buffers).
    client.pause();
    const padding = 'x'.repeat(1000);
    const total = 40_000;
    for (let step = 1; step <= total; step++) {
      log.append('stage', { type: 'stage', run: { id: 'r-1', status: 'running', step, totalSteps: total, message: padding } });
      if (step === total / 2) log.append('model', { type: 'model', action: 'load', model: 'flux-dev', phase: 'done' });
    }
    log.append('stage', { type: 'stage', run: { id: 'r-1', status: 'done', step: total, totalSteps: total, message: null } });

    client.resume();
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no final event; got ${text.length} characters`)), 20_000);
      const check = () => {
        if (text.includes('"status":"done"')) {
          clearTimeout(deadline);
          resolve();
        } else setTimeout(check, 10);
      };
      check();
    });
    const frames = text.split('\n\n').filter((f) => f.includes('\ndata: '));
    const ids = frames.map((f) => Number(/id: [0-9a-f]+-(\d+)/.exec(f)?.[1]));
    const steps = frames.filter((f) => f.includes('event: stage')).map((f) => Number(/"step":(\d+)/.exec(f)?.[1]));
    // Fewer frames than events: progress was coalesced for the slow client…
    expect(frames.length).toBeLessThan(total / 2);
    // …yet in order, with the model event and the final state, and the last step before it.
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(frames.some((f) => f.includes('event: model'))).toBe(true);
    expect(frames.at(-1)).toContain('"status":"done"');
    expect(steps.at(-2)).toBe(total);
  }, 30_000);
});
