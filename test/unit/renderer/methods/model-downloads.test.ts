import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../preload/contract/errors';
import type { EventName, EventPayload } from '../../../../preload/contract/channels';
import { ModelDownloads, type DownloadEnd, type DownloadsApi } from '../../../../renderer/src/panels/methods/model-downloads';

/** The host side of a connection as the renderer sees it: answers on demand, events when told. */
function fakeHost() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const starts: Array<{ id: string; answer: (r: Result<{ jobId: string }>) => void }> = [];
  const cancels: string[] = [];
  const api: DownloadsApi = {
    on: ((event: EventName, listener: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    }) as DownloadsApi['on'],
    startModelDownload: ({ id }) => new Promise((answer) => starts.push({ id, answer })),
    cancelJob: async ({ jobId }) => {
      cancels.push(jobId);
      return { ok: true, value: { cancelled: true } };
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, starts, cancels, emit };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function follow(host: ReturnType<typeof fakeHost>) {
  const d = new ModelDownloads(host.api);
  const ends: DownloadEnd[] = [];
  d.onEnd((e) => ends.push(e));
  return { d, ends };
}

describe('model downloads in the renderer', () => {
  it('follows its own job: progress only goes up, other jobs (an erase) are ignored, one end', async () => {
    const host = fakeHost();
    const { d, ends } = follow(host);
    const started = d.start('lama');
    expect(d.get().running.lama).toMatchObject({ jobId: null, phase: 'starting' });
    host.starts[0]!.answer({ ok: true, value: { jobId: 'dl-1' } });
    await started;
    host.emit('jobProgress', { jobId: 'dl-1', progress: 0.3, message: '62 MB of 208 MB' });
    host.emit('jobProgress', { jobId: 'erase-9', progress: 0.9 });
    host.emit('jobProgress', { jobId: 'dl-1', progress: 0.2 });
    expect(d.get().running.lama).toMatchObject({ jobId: 'dl-1', phase: 'running', progress: 0.3, message: '62 MB of 208 MB' });
    host.emit('jobFinished', { jobId: 'erase-9', status: 'done' });
    expect(ends).toEqual([]);
    host.emit('jobFinished', { jobId: 'dl-1', status: 'done' });
    host.emit('jobFinished', { jobId: 'dl-1', status: 'done' });
    expect(ends).toEqual([{ modelId: 'lama', status: 'done' }]);
    expect(d.get().running).toEqual({});
  });

  it('a second press while it runs starts nothing', async () => {
    const host = fakeHost();
    const { d } = follow(host);
    void d.start('lama');
    void d.start('lama');
    expect(host.starts).toHaveLength(1);
  });

  it('events that overtake the start answer are applied once the id is known', async () => {
    const host = fakeHost();
    const { d, ends } = follow(host);
    const started = d.start('lama');
    host.emit('jobProgress', { jobId: 'dl-2', progress: 0.5 });
    host.emit('jobFinished', { jobId: 'dl-2', status: 'failed', error: { code: 'io', message: 'not enough free disk space' } });
    host.starts[0]!.answer({ ok: true, value: { jobId: 'dl-2' } });
    await started;
    expect(ends).toEqual([{ modelId: 'lama', status: 'failed', error: { code: 'io', message: 'not enough free disk space' } }]);
    expect(d.get().running).toEqual({});
  });

  it('Cancel before the id is known is sent as soon as it is; the end comes from the host', async () => {
    const host = fakeHost();
    const { d, ends } = follow(host);
    const started = d.start('lama');
    await d.cancel('lama');
    expect(d.get().running.lama?.phase).toBe('cancelling');
    expect(host.cancels).toEqual([]);
    host.starts[0]!.answer({ ok: true, value: { jobId: 'dl-3' } });
    await started;
    expect(host.cancels).toEqual(['dl-3']);
    expect(d.get().running.lama?.phase).toBe('cancelling');
    host.emit('jobFinished', { jobId: 'dl-3', status: 'cancelled' });
    expect(ends).toEqual([{ modelId: 'lama', status: 'cancelled' }]);
  });

  it('a refused start ends at once with the host\'s reason', async () => {
    const host = fakeHost();
    const { d, ends } = follow(host);
    const started = d.start('lama');
    host.starts[0]!.answer({ ok: false, error: { code: 'unsupported', message: 'Models cannot be downloaded here' } });
    await started;
    expect(ends).toEqual([{ modelId: 'lama', status: 'start-failed', error: { code: 'unsupported', message: 'Models cannot be downloaded here' } }]);
    expect(d.get().running).toEqual({});
  });

  it('after a reload it adopts a download the host runs; a download whose events were lost ends with the next list', async () => {
    const host = fakeHost();
    const { d, ends } = follow(host);
    const model = { id: 'lama', title: 'LaMa', licence: 'Apache-2.0', bytes: 100, installed: false, state: 'partial' as const };
    d.reconcile([{ ...model, downloadJobId: 'dl-4' }], d.mark());
    expect(d.get().running.lama).toMatchObject({ jobId: 'dl-4', phase: 'running' });
    host.emit('jobProgress', { jobId: 'dl-4', progress: 0.4 });
    expect(d.get().running.lama?.progress).toBe(0.4);
    // A list asked for before this download was known says nothing about it...
    const old = d.mark() - 1;
    d.reconcile([model], old);
    expect(d.get().running.lama?.jobId).toBe('dl-4');
    // ...a later one that no longer lists it means it ended while the connection was down.
    d.reconcile([{ ...model, installed: true, state: 'installed' }], d.mark());
    expect(d.get().running).toEqual({});
    expect(ends).toEqual([{ modelId: 'lama', status: 'done' }]);
    await tick();
  });
});
