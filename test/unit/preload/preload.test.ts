import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX, INVOKE_NAMES } from '../../../preload/contract/index.js';
import type { AdstudioApi } from '../../../preload/contract/index.js';

/** What the real preload reaches for: a contextBridge that records, an ipcRenderer that records. */
const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  return { exposed, invocations, ipc: null as unknown as EventEmitter & { invoke: (...args: unknown[]) => Promise<unknown> } };
});

vi.mock('electron', () => {
  const ipc = new EventEmitter() as EventEmitter & { invoke: (...args: unknown[]) => Promise<unknown> };
  ipc.invoke = async (...args: unknown[]) => {
    fake.invocations.push(args);
    if (args[1] === 'uncloneable') throw new Error('An object could not be cloned.');
    return { ok: true, value: { echoed: args } };
  };
  fake.ipc = ipc;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
    ipcRenderer: ipc,
  };
});

let api: AdstudioApi;
beforeAll(async () => {
  await import('../../../preload/index.js');
  api = fake.exposed.get('adstudio') as AdstudioApi;
});

describe('preload', () => {
  it('exposes only window.adstudio, with exactly one function per contract channel plus on()', () => {
    expect([...fake.exposed.keys()]).toEqual(['adstudio']);
    expect(Object.keys(api).sort()).toEqual([...INVOKE_NAMES, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    // Nothing generic leaks out.
    for (const k of ['invoke', 'send', 'ipcRenderer', 'sendSync']) expect(k in api).toBe(false);
  });

  it('each function invokes its own prefixed channel with the payload', async () => {
    fake.invocations.length = 0;
    await api.getAppInfo();
    const bytes = new Uint8Array([1, 2]);
    await api.putAsset({ kind: 'image', bytes });
    expect(fake.invocations).toEqual([[CHANNEL_PREFIX + 'getAppInfo'], [CHANNEL_PREFIX + 'putAsset', { kind: 'image', bytes }]]);
  });

  it('turns an IPC failure into a Result instead of a rejected promise', async () => {
    const result = await (api.cancelJob as unknown as (p: unknown) => Promise<unknown>)('uncloneable');
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('could not be cloned') } });
  });

  it('on() delivers only the payload of contract events and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api.on('jobProgress', (payload) => got.push(payload));
    const senderEvent = { sender: 'secret ipc object' };
    fake.ipc.emit(CHANNEL_PREFIX + 'jobProgress', senderEvent, { jobId: 'a', progress: 0.1 });
    expect(got).toEqual([{ jobId: 'a', progress: 0.1 }]);
    off();
    fake.ipc.emit(CHANNEL_PREFIX + 'jobProgress', senderEvent, { jobId: 'a', progress: 0.2 });
    expect(got).toHaveLength(1);
    expect(fake.ipc.listenerCount(CHANNEL_PREFIX + 'jobProgress')).toBe(0);
  });

  it('on() throws for events outside the contract (no way to listen to other channels)', () => {
    for (const name of ['getAppInfo', 'adstudio:jobProgress', 'ELECTRON_BROWSER_WINDOW_ALERT', '__proto__']) {
      expect(() => api.on(name as 'jobProgress', () => {})).toThrow(/unknown event/);
    }
    expect(fake.ipc.eventNames()).toEqual([]);
  });
});
