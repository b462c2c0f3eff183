import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEditorServer } from '../../../../main/server/editor-server.js';
import type { EditorServer } from '../../../../main/server/editor-server.js';
import { downloadUrlFor } from '../../../../main/server/downloads.js';
import { encodeWire } from '../../../../preload/contract/wire.js';
import { APP_INFO_DOUBLE, createServicesDouble } from '../rpc/handlers-double.js';
import { connect, loginCookie, makeStaticTree, rawGet, upgradeStatus } from './server-helpers.js';

const assetBytes = Buffer.from('fake png bytes');
const assetHash = createHash('sha256').update(assetBytes).digest('hex');

let tree: Awaited<ReturnType<typeof makeStaticTree>>;
let server: EditorServer;
let double: ReturnType<typeof createServicesDouble>;
let cookie: string;
const logged: string[] = [];

beforeAll(async () => {
  tree = await makeStaticTree();
  await writeFile(join(tree.root, 'asset.png'), assetBytes);
  double = createServicesDouble(undefined, { [assetHash]: { path: join(tree.root, 'asset.png'), mime: 'image/png' } });
  server = await startEditorServer({
    services: double.services,
    staticDir: tree.staticDir,
    exportsDir: tree.exportsDir,
    maxMessageBytes: 64 * 1024,
    log: (l) => logged.push(l),
  });
  cookie = await loginCookie(server);
});
afterAll(async () => {
  await server?.close();
});

describe('editor server: access token', () => {
  it('prints a 127.0.0.1 URL with a 32-byte random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(logged).toEqual([]);
  });

  it.each(['/', '/index.html', `/assets/${assetHash}`, '/static/index-Ab12.js', '/downloads/x.png'])('answers %s without a token with 401 and a readable message', async (path) => {
    const res = await rawGet(server.port, path);
    expect(res.status).toBe(401);
    expect(res.body.toString()).toContain('?token=');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('rejects a wrong token in the query and in the cookie', async () => {
    expect((await rawGet(server.port, '/?token=' + 'x'.repeat(43))).status).toBe(401);
    expect((await rawGet(server.port, '/index.html', { cookie: `adstudio_token_${server.port}=${'x'.repeat(43)}` })).status).toBe(401);
    // A cookie for another port's editor does not open this one.
    expect((await rawGet(server.port, '/index.html', { cookie: `adstudio_token_1=${server.token}` })).status).toBe(401);
  });

  it('swaps the token link for an HttpOnly SameSite=Strict cookie and a redirect to /', async () => {
    const res = await rawGet(server.port, `/?token=${server.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const setCookie = (res.headers['set-cookie'] ?? [])[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^adstudio_token_${server.port}=${server.token};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');

    const page = await rawGet(server.port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>adstudio</title>');
  });

  it('refuses a Host header that is not its own (DNS rebinding)', async () => {
    const res = await rawGet(server.port, '/', { cookie, host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
  });
});

describe('editor server: static files', () => {
  it('serves the renderer with a strict CSP and nosniff', async () => {
    const res = await rawGet(server.port, '/', { cookie });
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "connect-src 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');

    // The page itself must be revalidated (a new build), its content-hashed bundle files never.
    expect(res.headers['cache-control']).toBe('no-cache');
    const js = await rawGet(server.port, '/static/index-Ab12.js', { cookie });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body.toString()).toBe('console.log("app")');
  });

  it('accepts ?token= on any route, not only /', async () => {
    expect((await rawGet(server.port, `/static/index-Ab12.js?token=${server.token}`)).status).toBe(200);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
    '/%E0%A4%A',
    '/.env',
    '/sub',
    '/sub/',
    '/link.txt',
    '/nope.js',
    '//etc/passwd',
  ])('never serves %s (404, no listing, no escape)', async (path) => {
    const res = await rawGet(server.port, path, { cookie });
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('SECRET');
    expect(res.body.toString()).not.toContain('page.txt');
  });

  it('answers only GET and HEAD', async () => {
    expect((await rawGet(server.port, '/', { cookie }, 'POST')).status).toBe(405);
    const head = await rawGet(server.port, '/', { cookie }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toHaveLength(0);
  });
});

describe('editor server: assets and downloads', () => {
  it('streams a stored asset by hash with immutable caching and an ETag', async () => {
    const res = await rawGet(server.port, `/assets/${assetHash}`, { cookie });
    expect(res.status).toBe(200);
    expect(res.body.equals(assetBytes)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toContain('immutable');
    const again = await rawGet(server.port, `/assets/${assetHash}`, { cookie, 'if-none-match': `"${assetHash}"` });
    expect(again.status).toBe(304);
    expect((await rawGet(server.port, `/assets/${'0'.repeat(64)}`, { cookie })).status).toBe(404);
  });

  it('offers exports as attachments under the exact (Korean) file name', async () => {
    const url = downloadUrlFor(tree.exportsDir)(join(tree.exportsDir, '광고 (1).png'));
    expect(url).toBe('/downloads/' + encodeURIComponent('광고 (1).png'));
    const res = await rawGet(server.port, url, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%EA%B4%91%EA%B3%A0%20%281%29.png");
    expect((await rawGet(server.port, '/downloads/..%2fsecret.txt', { cookie })).status).toBe(404);
    expect((await rawGet(server.port, '/downloads/../renderer/index.html', { cookie })).status).not.toBe(200);
    expect(() => downloadUrlFor(tree.exportsDir)(join(tree.root, 'secret.txt'))).toThrow(/exports folder/);
  });
});

describe('editor server: WebSocket bridge', () => {
  it('refuses the socket without a token (401) and from another origin (403)', async () => {
    const own = server.origin;
    expect(await upgradeStatus(server.port, '/rpc', {}, own)).toBe(401);
    expect(await upgradeStatus(server.port, '/rpc', { cookie }, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(server.port, '/rpc', { cookie }, `http://localhost:${server.port + 1}`)).toBe(403);
    expect(await upgradeStatus(server.port, '/rpc', { cookie })).toBe(403);
    expect(await upgradeStatus(server.port, '/other', { cookie }, own)).toBe(404);
    expect(await upgradeStatus(server.port, '/rpc', { cookie }, own)).toBe(101);
  });

  it('answers a request with the handler result', async () => {
    const client = await connect(server, { cookie, origin: server.origin });
    expect(await client.request('getAppInfo')).toEqual({ ok: true, value: APP_INFO_DOUBLE });
    expect(await client.request('getAssetInfo', { hash: 'bad' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.request('noSuchChannel', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    client.ws.close();
  });

  it('carries image bytes raw in a binary frame to putAsset', async () => {
    const client = await connect(server, { cookie, origin: server.origin });
    const bytes = new Uint8Array(40_000).map((_, i) => (i * 7) % 256);
    const result = (await client.request('putAsset', { kind: 'image', bytes })) as { ok: boolean; value: { hash: string; bytes: number } };
    expect(result.ok).toBe(true);
    expect(result.value.bytes).toBe(40_000);
    expect(result.value.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    client.ws.close();
  });

  it.each([
    ['text that is not JSON', 'hello'],
    ['JSON without an id', JSON.stringify({ channel: 'getAppInfo' })],
    ['a JSON array', '[1,2,3]'],
    ['an object id', JSON.stringify({ id: {}, channel: 'getAppInfo' })],
    ['a truncated binary frame', Buffer.from([0, 0, 1, 0, 123])],
    ['a binary frame whose sizes lie', Buffer.concat([Buffer.from([0, 0, 0, 22]), Buffer.from('{"sizes":[9],"body":{}}'), Buffer.alloc(2)])],
  ])('closes a client that sends %s with 1008 and keeps serving others', async (_name, frame) => {
    const bad = await connect(server, { cookie, origin: server.origin });
    const good = await connect(server, { cookie, origin: server.origin });
    bad.ws.send(frame);
    expect((await bad.closed).code).toBe(1008);
    expect(await good.request('getAppInfo')).toMatchObject({ ok: true });
    good.ws.close();
  });

  it('closes a client whose message exceeds the size limit (1009) and keeps serving others', async () => {
    const bad = await connect(server, { cookie, origin: server.origin });
    bad.ws.send(encodeWire({ id: 1, channel: 'putAsset', payload: { kind: 'image', bytes: new Uint8Array(65 * 1024) } }));
    expect((await bad.closed).code).toBe(1009);
    const good = await connect(server, { cookie, origin: server.origin });
    expect(await good.request('getAppInfo')).toMatchObject({ ok: true });
    good.ws.close();
  });

  it('pushes service events to every connected client', async () => {
    const a = await connect(server, { cookie, origin: server.origin });
    const b = await connect(server, { cookie, origin: server.origin });
    double.emit('jobProgress', { jobId: 'job-1', progress: 0.5, message: '지우는 중' });
    await expect.poll(() => a.events.length + b.events.length).toBe(2);
    expect(a.events[0]).toEqual({ event: 'jobProgress', payload: { jobId: 'job-1', progress: 0.5, message: '지우는 중' } });
    expect(b.events[0]).toEqual(a.events[0]);
    a.ws.close();
    b.ws.close();
  });
});

describe('editor server: lifecycle', () => {
  it('says clearly when an explicitly chosen port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startEditorServer({ services: double.services, staticDir: tree.staticDir, port, log: () => {} })).rejects.toThrow(`port ${port} is already in use on 127.0.0.1`);
      expect(double.subscriberCount()).toBe(1); // the failed server left no event subscription behind
    } finally {
      blocker.close();
    }
  });

  it('refuses a short or URL-unsafe token', async () => {
    await expect(startEditorServer({ services: double.services, staticDir: tree.staticDir, token: 'short', log: () => {} })).rejects.toThrow(/16–256/);
    await expect(startEditorServer({ services: double.services, staticDir: tree.staticDir, token: 'a b c d e f g h i j', log: () => {} })).rejects.toThrow(/URL-safe/);
  });

  it('warns when listening beyond loopback, and close() disconnects clients and frees the port', async () => {
    const notes: string[] = [];
    const wide = await startEditorServer({ services: double.services, staticDir: tree.staticDir, host: '0.0.0.0', token: 'given-token-0123456789', log: (l) => notes.push(l) });
    expect(wide.token).toBe('given-token-0123456789');
    expect(wide.url).toBe(`http://127.0.0.1:${wide.port}/?token=given-token-0123456789`);
    expect(notes.join('\n')).toMatch(/WARNING.*0\.0\.0\.0/);

    const c = await connect(wide, { cookie: await loginCookie(wide), origin: wide.origin });
    await wide.close();
    expect((await c.closed).code).toBe(1001);
    expect(double.subscriberCount()).toBe(1);
    const again = new WebSocket(`ws://127.0.0.1:${wide.port}/rpc`);
    await expect(new Promise((_, reject) => again.once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });
});
