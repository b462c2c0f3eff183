import type { EventName, EventPayload, EventSink } from '../../../../../preload/contract/index.js';

export interface LoggedEvent {
  event: EventName;
  payload: EventPayload<EventName>;
  at: number;
}

/** Records events with timestamps and lets a test wait for a job's jobFinished. */
export function eventLog() {
  const events: LoggedEvent[] = [];
  const waiters: (() => void)[] = [];
  const sink: EventSink = (event, payload) => {
    events.push({ event, payload, at: performance.now() });
    waiters.splice(0).forEach((w) => w());
  };
  const progress = (jobId: string) =>
    events.filter((e) => e.event === 'jobProgress' && 'jobId' in e.payload && e.payload.jobId === jobId) as (LoggedEvent & { payload: EventPayload<'jobProgress'> })[];
  const finished = (jobId: string) =>
    events.filter((e) => e.event === 'jobFinished' && 'jobId' in e.payload && e.payload.jobId === jobId).map((e) => e.payload as EventPayload<'jobFinished'>);
  async function waitFinished(jobId: string, timeoutMs = 10_000): Promise<EventPayload<'jobFinished'>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = finished(jobId)[0];
      if (done) return done;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
  async function waitProgress(jobId: string): Promise<void> {
    while (!progress(jobId).some((e) => e.payload.progress > 0)) await new Promise((r) => setTimeout(r, 5));
  }
  return { sink, events, progress, finished, waitFinished, waitProgress };
}
