import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../preload/contract/channels';
import type { Editor } from '../../../../renderer/src/editor/editor';
import { HostJobs } from '../../../../renderer/src/editor/host-jobs';
import { initialSession } from '../../../../renderer/src/editor/session-state';
import { createStateStore } from '../../../../renderer/src/editor/state-store';

type Listener = (payload: unknown) => void;

/** The little of an Editor HostJobs uses: session, host events, cancelJob, notices. */
function fakeEditor() {
  const listeners = new Map<string, Set<Listener>>();
  const cancelled: string[] = [];
  const failures: { title: string; err: unknown }[] = [];
  const ed = {
    session: createStateStore(initialSession()),
    api: {
      on(event: string, l: Listener) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        set.add(l);
        return () => set.delete(l);
      },
      async cancelJob({ jobId }: { jobId: string }) {
        cancelled.push(jobId);
        return { ok: true as const, value: { cancelled: true } };
      },
    },
    listen() {},
    fail(title: string, err: unknown) {
      failures.push({ title, err });
    },
  };
  const emit = <K extends 'jobProgress' | 'jobFinished'>(event: K, payload: EventPayload<K>) => listeners.get(event)?.forEach((l) => l(payload));
  return { ed, jobs: new HostJobs(ed as unknown as Editor), emit, cancelled, failures };
}

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('HostJobs (the one running erase or detection)', () => {
  it('shows the job from the first press, ignores a second press, and hands the end to its own kind', async () => {
    const { ed, jobs, emit } = fakeEditor();
    const started = deferred<string | null>();
    const ends: string[] = [];
    const run = jobs.run({ kind: 'detect', startFailed: 'detect.startFailed', start: () => started.promise, finished: (p) => ends.push(`detect:${p.status}`) });
    expect(ed.session.get().job).toMatchObject({ kind: 'detect', jobId: null, phase: 'starting' });
    let secondStarted = false;
    await jobs.run({
      kind: 'erase',
      startFailed: 'error.eraseFailed',
      start: async () => {
        secondStarted = true;
        return 'other';
      },
      finished: (p) => ends.push(`erase:${p.status}`),
    });
    expect(secondStarted).toBe(false);

    // Events may overtake the answer that carries the id: they are held until it is known.
    emit('jobProgress', { jobId: 'j1', progress: 0.4 });
    emit('jobFinished', { jobId: 'j1', status: 'done', regions: [] });
    expect(ends).toEqual([]);
    started.resolve('j1');
    await run;
    expect(ends).toEqual(['detect:done']);
    expect(ed.session.get().job).toBeNull();
  });

  it('progress only moves forward and only for the running job', async () => {
    const { ed, jobs, emit } = fakeEditor();
    await jobs.run({ kind: 'erase', startFailed: 'error.eraseFailed', start: async () => 'j2', finished: () => {} });
    emit('jobProgress', { jobId: 'j2', progress: 0.5, message: 'filling' });
    emit('jobProgress', { jobId: 'j2', progress: 0.3 });
    emit('jobProgress', { jobId: 'someone-else', progress: 0.9 });
    expect(ed.session.get().job).toMatchObject({ kind: 'erase', jobId: 'j2', phase: 'running', progress: 0.5, message: 'filling' });
  });

  it('Cancel before the host answered is sent as soon as the id is known', async () => {
    const { ed, jobs, emit, cancelled } = fakeEditor();
    const started = deferred<string | null>();
    const ends: string[] = [];
    const run = jobs.run({ kind: 'detect', startFailed: 'detect.startFailed', start: () => started.promise, finished: (p) => ends.push(p.status) });
    await jobs.cancel();
    expect(ed.session.get().job?.phase).toBe('cancelling');
    expect(cancelled).toEqual([]);
    started.resolve('j3');
    await run;
    expect(cancelled).toEqual(['j3']);
    expect(ed.session.get().job).toMatchObject({ jobId: 'j3', phase: 'cancelling' });
    emit('jobFinished', { jobId: 'j3', status: 'cancelled' });
    expect(ends).toEqual(['cancelled']);
    expect(ed.session.get().job).toBeNull();
  });

  it('a start that fails or finds nothing to do ends the job; only the failure is reported', async () => {
    const { ed, jobs, failures } = fakeEditor();
    await jobs.run({ kind: 'erase', startFailed: 'error.eraseFailed', start: async () => null, finished: () => {} });
    expect(ed.session.get().job).toBeNull();
    expect(failures).toEqual([]);
    const boom = new Error('no connection');
    await jobs.run({
      kind: 'detect',
      startFailed: 'detect.startFailed',
      start: async () => {
        throw boom;
      },
      finished: () => {},
    });
    expect(ed.session.get().job).toBeNull();
    expect(failures).toEqual([{ title: 'detect.startFailed', err: boom }]);
  });
});
