import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHANNEL_PREFIX, INVOKE_NAMES } from '../../../../preload/contract/index.js';
import type { Result } from '../../../../preload/contract/index.js';
import { TrustedSenders, registerIpc } from '../../../../main/ipc/register-ipc.js';
import type { InvokeEventLike, IpcMainLike, SenderFrame } from '../../../../main/ipc/register-ipc.js';
import { APP_INFO_DOUBLE, createHandlersDouble, createServicesDouble } from '../rpc/handlers-double.js';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<Result<unknown>>>();
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<Result<unknown>>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEventLike, payload?: unknown): Promise<Result<unknown>> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, payload);
  }
}

let nextId = 1;
class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  destroyed = false;
  readonly sent: Array<[string, unknown]> = [];
  readonly mainFrame: SenderFrame = { url: 'app://adstudio/index.html', parent: null };
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function eventFrom(sender: FakeWebContents, frame: SenderFrame | null = sender.mainFrame): InvokeEventLike {
  return { sender, senderFrame: frame };
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const trusted = new TrustedSenders();
  let calls = 0;
  const handlers = createHandlersDouble({ getAppInfo: async () => (calls++, APP_INFO_DOUBLE) });
  const double = createServicesDouble(handlers);
  const logged: string[] = [];
  const dispose = registerIpc({ ipcMain, handlers, trusted, onEvent: double.services.onEvent, log: (m) => logged.push(m) });
  const win = new FakeWebContents();
  trusted.add(win);
  return { ipcMain, trusted, win, double, dispose, logged, calls: () => calls };
}

const appInfo = CHANNEL_PREFIX + 'getAppInfo';

describe('registerIpc', () => {
  it('registers exactly one prefixed handler per contract channel', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(INVOKE_NAMES.map((n) => CHANNEL_PREFIX + n).sort());
  });

  it('answers the trusted window main frame through dispatch', async () => {
    const { ipcMain, win } = setup();
    expect(await ipcMain.invoke(appInfo, eventFrom(win))).toEqual({ ok: true, value: APP_INFO_DOUBLE });
    expect(await ipcMain.invoke(CHANNEL_PREFIX + 'getAssetInfo', eventFrom(win), { hash: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it.each([
    ['an unknown webContents', () => new FakeWebContents(), undefined],
    ['a sub-frame of the trusted window', null, { url: 'app://adstudio/index.html', parent: {} }],
    ['a frame showing another site', null, { url: 'https://evil.example/', parent: null }],
    ['a frame on another app:// host', null, { url: 'app://evil/index.html', parent: null }],
    ['a file:// page', null, { url: 'file:///tmp/x.html', parent: null }],
    ['an app URL with credentials', null, { url: 'app://user@adstudio/', parent: null }],
    ['a missing frame', null, null],
  ] as Array<[string, (() => FakeWebContents) | null, SenderFrame | null | undefined]>)('refuses %s as unauthorized without calling the handler', async (_name, makeSender, frame) => {
    const { ipcMain, win, logged, calls } = setup();
    const sender = makeSender ? makeSender() : win;
    const result = await ipcMain.invoke(appInfo, eventFrom(sender, frame === undefined ? sender.mainFrame : frame));
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(calls()).toBe(0);
    expect(logged.join('\n')).toContain('untrusted');
  });

  it('stops trusting a window once it is destroyed', async () => {
    const { ipcMain, win } = setup();
    win.destroy();
    expect(await ipcMain.invoke(appInfo, eventFrom(win))).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('forwards service events to trusted, live windows only, with the prefix', () => {
    const { win, trusted, double } = setup();
    const second = new FakeWebContents();
    trusted.add(second);
    const stranger = new FakeWebContents();
    second.destroy();
    double.emit('jobProgress', { jobId: 'j', progress: 0.25 });
    expect(win.sent).toEqual([[CHANNEL_PREFIX + 'jobProgress', { jobId: 'j', progress: 0.25 }]]);
    expect(second.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
  });

  it('dispose removes every handler and the event subscription', () => {
    const { ipcMain, dispose, double } = setup();
    expect(double.subscriberCount()).toBe(1);
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(double.subscriberCount()).toBe(0);
  });
});
