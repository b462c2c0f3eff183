import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEditorServer } from '../../../main/server/editor-server.js';
import { INVOKE_NAMES } from '../../../preload/contract/index.js';
import type { Handlers, ResponseOf } from '../../../preload/contract/index.js';
import { createBrowserBridge } from '../../../renderer/src/platform/browser-bridge.js';
import type { BrowserBridge, OpenSocket } from '../../../renderer/src/platform/browser-bridge.js';
import type { ConnectionState } from '../../../renderer/src/platform/types.js';
import { APP_INFO_DOUBLE, createHandlersDouble, createServicesDouble } from '../../unit/main/rpc/handlers-double.js';
import { loginCookie, makeStaticTree } from '../../unit/main/server/server-helpers.js';

/** What a browser does for the bridge: same-origin socket with the session cookie. */
function nodeSocket(port: number, cookie: string): OpenSocket {
  return (events) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers: { cookie }, origin: `http://127.0.0.1:${port}` });
    ws.on('open', () => events.open());
    ws.on('message', (data: Buffer, isBinary: boolean) => events.message(isBinary ? new Uint8Array(data) : data.toString()));
    ws.on('close', (code) => events.close(code));
    ws.on('error', () => {});
    return { send: (frame) => ws.send(frame), close: () => ws.close() };
  };
}

const toClose: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

async function setup(handlers: Handlers = createHandlersDouble()) {
  const tree = await makeStaticTree();
  const double = createServicesDouble(handlers);
  const server = await startEditorServer({ services: double.services, staticDir: tree.staticDir, log: () => {} });
  toClose.push(server);
  const cookie = await loginCookie(server);
  const states: ConnectionState[] = [];
  const bridge = createBrowserBridge({
    openSocket: nodeSocket(server.port, cookie),
    checkAuthorized: async () => (await fetch(`http://127.0.0.1:${server.port}/`, { method: 'HEAD', headers: { cookie } })).status !== 401,
    initialDelayMs: 20,
    maxDelayMs: 80,
  });
  toClose.push(bridge);
  bridge.connection.subscribe((s) => states.push(s.state));
  await bridge.ready;
  return { tree, double, server, cookie, bridge, states };
}

describe('browser bridge (renderer platform) against the editor server', () => {
  it('exposes exactly the contract functions plus on(), and they reach the handlers', async () => {
    const { bridge } = await setup();
    expect(bridge.connection.current().state).toBe('open');
    expect(Object.keys(bridge.api).sort()).toEqual([...INVOKE_NAMES, 'on'].sort());
    expect(await bridge.api.getAppInfo()).toEqual({ ok: true, value: APP_INFO_DOUBLE });

    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const put = await bridge.api.putAsset({ kind: 'mask', bytes });
    expect(put).toMatchObject({ ok: true, value: { kind: 'mask', bytes: 100_000, hash: createHash('sha256').update(bytes).digest('hex') } });
    expect(await bridge.api.getAssetInfo({ hash: 'nope' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('delivers events to subscribers until they unsubscribe, and refuses unknown events', async () => {
    const { bridge, double } = await setup();
    const got: unknown[] = [];
    const off = bridge.api.on('jobFinished', (p) => got.push(p));
    double.emit('jobFinished', { jobId: 'j1', status: 'done', madeBy: 'inpaint:test' });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual({ jobId: 'j1', status: 'done', madeBy: 'inpaint:test' });
    off();
    double.emit('jobFinished', { jobId: 'j2', status: 'cancelled' });
    // Round-trip a request so the second event (sent before the answer) has certainly arrived.
    await bridge.api.getAppInfo();
    expect(got).toHaveLength(1);
    expect(() => bridge.api.on('noSuchEvent' as 'jobFinished', () => {})).toThrow(/unknown event/);
  });

  it('fails in-flight and new requests fast while disconnected, shows it, and reconnects when the server returns', async () => {
    let release: (v: ResponseOf<'listProjects'>) => void = () => {};
    const handlers = createHandlersDouble({ listProjects: () => new Promise((r) => (release = r)) });
    const { bridge, server, double, states } = await setup(handlers);

    const inFlight = bridge.api.listProjects();
    await new Promise((r) => setTimeout(r, 50));
    const { port, token } = server;
    await server.close();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringMatching(/lost/) } });
    release([]);

    await expect.poll(() => bridge.connection.current().state).toBe('reconnecting');
    const started = Date.now();
    expect(await bridge.api.getAppInfo()).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringMatching(/reconnecting/) } });
    expect(Date.now() - started).toBeLessThan(50);

    const again = await startEditorServer({ services: double.services, staticDir: (await makeStaticTree()).staticDir, port, token, log: () => {} });
    toClose.push(again);
    await expect.poll(() => bridge.connection.current().state, { timeout: 3000 }).toBe('open');
    expect(await bridge.api.getAppInfo()).toEqual({ ok: true, value: APP_INFO_DOUBLE });
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'open']));
    expect(bridge.connection.current().attempt).toBe(0);
  });

  it('says "unauthorized" when the server came back with a different token', async () => {
    const { bridge, server, double } = await setup();
    const { port } = server;
    await server.close();
    const other = await startEditorServer({ services: double.services, staticDir: (await makeStaticTree()).staticDir, port, log: () => {} });
    toClose.push(other);
    await expect.poll(() => bridge.connection.current().state, { timeout: 3000 }).toBe('unauthorized');
    expect(bridge.connection.current().retryInMs).toBeGreaterThan(0);
  });

  it('reports "unauthorized" as soon as the first attempt is refused for a stale cookie', async () => {
    const { server } = await setup();
    const stale = `adstudio_token_${server.port}=${'x'.repeat(43)}`;
    const bridge = createBrowserBridge({
      openSocket: nodeSocket(server.port, stale),
      checkAuthorized: async () => (await fetch(`http://127.0.0.1:${server.port}/`, { method: 'HEAD', headers: { cookie: stale } })).status !== 401,
      initialDelayMs: 20,
      maxDelayMs: 80,
    });
    toClose.push(bridge);
    await bridge.ready;
    expect(bridge.connection.current().state).toBe('unauthorized');
    expect(await bridge.api.getAppInfo()).toMatchObject({ ok: false, error: { code: 'io' } });
  });

  it('close() stops reconnecting and answers requests with an error', async () => {
    const { bridge } = await setup();
    const bridgeRef: BrowserBridge = bridge;
    bridgeRef.close();
    expect(bridgeRef.connection.current().state).toBe('closed');
    expect(await bridgeRef.api.getAppInfo()).toMatchObject({ ok: false, error: { code: 'io' } });
  });
});
