import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdstudioApi } from '../../../preload/contract/api';
import type { Result } from '../../../preload/contract/errors';
import { createAutosaver, newSessionId } from '../../../renderer/src/document/autosave';
import type { ImageRecord } from '../../../renderer/src/document/records';
import { createDocumentStore } from '../../../renderer/src/document/store';
import { fixtureDocument } from './doc-fixtures';

type AutosaveRequest = Parameters<AdstudioApi['autosave']>[0];

function setup(opts: { intervalMs?: number; settleMs?: number; respond?: (req: AutosaveRequest) => Promise<Result<{ savedAt: string }>> } = {}) {
  const { doc, image } = fixtureDocument();
  const store = createDocumentStore(doc);
  const calls: AutosaveRequest[] = [];
  const respond = opts.respond ?? (async () => ({ ok: true as const, value: { savedAt: new Date().toISOString() } }));
  const api = {
    autosave: vi.fn(async (req: AutosaveRequest) => {
      calls.push(req);
      return respond(req);
    }),
  };
  const onError = vi.fn();
  let path: string | null = null;
  const saver = createAutosaver({
    store,
    api,
    sessionId: 'session-test-1',
    getPath: () => path,
    intervalMs: opts.intervalMs ?? 10_000,
    settleMs: opts.settleMs ?? 1000,
    onError,
  });
  let x = 0;
  const edit = () => store.transact('Move', (d) => d.update<ImageRecord>(image.id, (r) => ({ ...r, transform: { ...r.transform, x: ++x } })));
  return { store, saver, calls, onError, edit, setPath: (p: string) => (path = p) };
}

describe('autosaver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-05-01T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('writes nothing while nothing changes', async () => {
    const { calls } = setup();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(0);
  });

  it('writes once after a burst of edits settles, with the document, path and dirty flag', async () => {
    const { calls, edit, store, setPath } = setup();
    setPath('/projects/poster.adstudio');
    edit();
    await vi.advanceTimersByTimeAsync(500);
    edit();
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ sessionId: 'session-test-1', path: '/projects/poster.adstudio', dirty: true });
    expect(calls[0]!.document.records).toEqual(store.document().records);
    // modifiedAt is the time of the last edit, not of the write.
    expect(calls[0]!.document.modifiedAt).toBe('2024-05-01T10:00:00.500Z');
  });

  it('keeps at least intervalMs between writes, however many edits arrive', async () => {
    const { calls, edit } = setup({ intervalMs: 10_000 });
    edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      edit();
      await vi.advanceTimersByTimeAsync(100);
    }
    // t = 6000: the next write is due at 1000 + 10000.
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('flush writes immediately (dirty=false after a save) and cancels the scheduled write', async () => {
    const { calls, edit, store, saver } = setup();
    edit();
    store.markSaved();
    await saver.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.dirty).toBe(false);
    expect(saver.lastSavedAt()).toBe('2024-05-01T10:00:00.000Z');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  it('never runs two writes at once', async () => {
    let release: (() => void) | null = null;
    const { calls, edit, saver } = setup({
      intervalMs: 0,
      settleMs: 0,
      respond: () =>
        new Promise((resolve) => {
          release = () => resolve({ ok: true, value: { savedAt: 'now' } });
        }),
    });
    edit();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    edit();
    edit();
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1); // still waiting for the first write
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    release!();
    await flushed;
  });

  it('reports failures through onError, never throws, and retries at the next interval', async () => {
    let fail = true;
    const { calls, edit, onError, saver } = setup({
      intervalMs: 5000,
      respond: async () => (fail ? { ok: false, error: { code: 'io', message: 'disk full' } } : { ok: true, value: { savedAt: 'ok' } }),
    });
    edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(onError).toHaveBeenCalledWith({ code: 'io', message: 'disk full' });
    expect(saver.hasPendingChanges()).toBe(true);
    fail = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(2);
    expect(saver.lastSavedAt()).toBe('ok');
    expect(saver.hasPendingChanges()).toBe(false);
  });

  it('a rejected call becomes an internal error for onError', async () => {
    const { edit, onError } = setup({ respond: () => Promise.reject(new Error('socket closed')) });
    edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(onError).toHaveBeenCalledWith({ code: 'internal', message: 'socket closed' });
  });

  it('stop() cancels the scheduled write and ignores later edits', async () => {
    const { calls, edit, saver } = setup();
    edit();
    saver.stop();
    edit();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(0);
  });

  it('newSessionId fits the contract (8–64 chars) and is unique', () => {
    const a = newSessionId();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(newSessionId()).not.toBe(a);
  });
});
