import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { EditorServer } from '../../../../main/server/editor-server.js';
import { decodeWire, encodeWire } from '../../../../preload/contract/wire.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET with the path sent exactly as written (fetch would normalise "/../" away). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Follows the `?token=` link like a browser: returns the Cookie header value the server set. */
export async function loginCookie(server: EditorServer): Promise<string> {
  const res = await rawGet(server.port, `/?token=${server.token}`);
  const setCookie = res.headers['set-cookie'];
  if (res.status !== 302 || !setCookie?.[0]) throw new Error(`login failed: ${res.status}`);
  return setCookie[0].split(';')[0] as string;
}

export interface Client {
  ws: WebSocket;
  request(channel: string, payload?: unknown): Promise<unknown>;
  events: unknown[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A bridge client (what the renderer does), in Node: cookie + Origin headers set explicitly. */
export async function connect(server: EditorServer, headers: { cookie?: string; origin?: string } = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, {
    headers: headers.cookie ? { cookie: headers.cookie } : {},
    ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
  });
  const pending = new Map<unknown, (v: unknown) => void>();
  const events: unknown[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const msg = decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as { id?: unknown; result?: unknown; event?: string };
    if (msg.event) events.push(msg);
    else pending.get(msg.id)?.(msg.result);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let next = 1;
  return {
    ws,
    events,
    closed,
    request(channel, payload) {
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(encodeWire({ id, channel, payload }));
      });
    },
  };
}

/** Resolves with the HTTP status the server answered an upgrade with (or 101). */
export function upgradeStatus(port: number, path: string, headers: Record<string, string>, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, ...(origin ? { origin } : {}) });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** A fake dist/renderer plus a secret next to it that traversal must never reach. */
export async function makeStaticTree(): Promise<{ root: string; staticDir: string; exportsDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'adstudio-server-'));
  const staticDir = join(root, 'renderer');
  const exportsDir = join(root, 'exports');
  await mkdir(join(staticDir, 'static'), { recursive: true });
  await mkdir(join(staticDir, 'sub'), { recursive: true });
  await mkdir(exportsDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>adstudio</title><script type="module" src="./static/index-Ab12.js"></script>');
  await writeFile(join(staticDir, 'static', 'index-Ab12.js'), 'console.log("app")');
  await writeFile(join(staticDir, 'sub', 'page.txt'), 'inside');
  await writeFile(join(staticDir, '.env'), 'SECRET=dotfile');
  await writeFile(join(root, 'secret.txt'), 'SECRET=outside');
  await symlink(join(root, 'secret.txt'), join(staticDir, 'link.txt'));
  await writeFile(join(exportsDir, '광고 (1).png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  return { root, staticDir, exportsDir };
}
