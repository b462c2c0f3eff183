import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { AppError, LIMITS } from '../../preload/contract/index.js';
import { BRIDGE_RPC_PATH } from '../../preload/contract/wire.js';
import type { Services } from '../core/services-types.js';
import { assertUsableToken, generateToken, isAuthorized, sessionCookie, tokensEqual } from './auth.js';
import { DOWNLOADS_PREFIX, contentDisposition } from './downloads.js';
import { send, serveRpcSocket } from './rpc-socket.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { mimeFor, resolveStaticPath } from './static-files.js';

export interface EditorServerOptions {
  services: Pick<Services, 'handlers' | 'onEvent' | 'assetFile'>;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Browser-mode exports folder, served under /downloads/. Omit to disable downloads. */
  exportsDir?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Defaults to 32 random bytes. */
  token?: string;
  /** Notes and warnings (stderr by default). stdout stays free for the one URL line. */
  log?: (line: string) => void;
  /** Largest WebSocket message; LIMITS.maxMessageBytes unless a test needs a small one. */
  maxMessageBytes?: number;
}

export interface EditorServer {
  /** Open this: it carries the token once, then the cookie takes over. */
  url: string;
  /** e.g. http://127.0.0.1:5173 — what browsers send as Origin. */
  origin: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SERVICE_ASSET = /^\/assets\/([0-9a-f]{64})$/;
const UNAUTHORIZED_TEXT =
  'adstudio: this editor needs its access link.\n' +
  'Open the full address printed by `npm start` / `adstudio editor` (it ends in ?token=...).\n\n' +
  '이 편집기를 열려면 접근 링크가 필요합니다. `npm start` 또는 `adstudio editor`가 출력한 전체 주소(?token=... 포함)를 여세요.\n';

/**
 * The browser bridge: serves the built renderer and the same IPC contract over an authenticated
 * WebSocket, so the editor runs in any browser against these main-side services.
 */
export async function startEditorServer(options: EditorServerOptions): Promise<EditorServer> {
  const { services, staticDir, exportsDir } = options;
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? generateToken();
  assertUsableToken(token);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new AppError('bad-request', `port must be a whole number from 0 to 65535 (0 = any free port); got ${requestedPort}.`);
  }

  let port = requestedPort;
  const loopback = isLoopback(host);
  const clients = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? LIMITS.maxMessageBytes, perMessageDeflate: false });

  /** Against DNS rebinding: on a loopback bind, only loopback names may appear in Host. */
  const hostAllowed = (req: IncomingMessage): boolean => {
    const given = (req.headers.host ?? '').toLowerCase();
    if (!loopback) return given.length > 0;
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${urlHost(host)}:${port}`].includes(given);
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      log(`adstudio editor: request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) plain(res, 500, 'Internal error; see the server log.\n');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://adstudio.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed.\n');
    }
    if (!hostAllowed(req)) return plain(res, 403, 'This server only answers to its own address.\n');

    const queryToken = url.searchParams.get('token');
    if (url.pathname === '/' && queryToken !== null) {
      if (!tokensEqual(queryToken, token)) return plain(res, 401, UNAUTHORIZED_TEXT);
      // Swap the token in the address bar for an HttpOnly cookie.
      writeHead(res, 302, { Location: '/', 'Set-Cookie': sessionCookie(port, token), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!isAuthorized(req, url, port, token)) return plain(res, 401, UNAUTHORIZED_TEXT);

    const asset = SERVICE_ASSET.exec(url.pathname);
    if (asset) return serveServiceAsset(req, res, asset[1] as string);
    if (url.pathname.startsWith(DOWNLOADS_PREFIX)) return serveDownload(req, res, url.pathname.slice(DOWNLOADS_PREFIX.length));

    const file = await resolveStaticPath(staticDir, url.pathname);
    if (!file) return plain(res, 404, 'Not found.\n');
    // Vite's content-hashed bundle files live under /static/ (see vite.config.ts): cache them for good.
    const cache = url.pathname.startsWith('/static/') ? 'private, max-age=31536000, immutable' : 'no-cache';
    return serveFile(req, res, file, { 'Content-Type': mimeFor(file), 'Cache-Control': cache });
  }

  async function serveServiceAsset(req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
    const found = await services.assetFile(hash);
    if (!found) return plain(res, 404, 'No such asset.\n');
    const etag = `"${hash}"`;
    const headers = { 'Content-Type': found.mime, 'Cache-Control': 'private, max-age=31536000, immutable', ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      writeHead(res, 304, headers);
      res.end();
      return;
    }
    return serveFile(req, res, found.path, headers);
  }

  async function serveDownload(req: IncomingMessage, res: ServerResponse, encodedName: string): Promise<void> {
    if (!exportsDir || encodedName.includes('/')) return plain(res, 404, 'Not found.\n');
    const file = await resolveStaticPath(exportsDir, `/${encodedName}`);
    if (!file) return plain(res, 404, 'No such download.\n');
    const name = decodeURIComponent(encodedName);
    return serveFile(req, res, file, { 'Content-Type': mimeFor(file), 'Cache-Control': 'no-store', 'Content-Disposition': contentDisposition(name) });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://adstudio.invalid');
    if (url.pathname !== BRIDGE_RPC_PATH) return rejectUpgrade(socket, 404, 'Not found.\n');
    if (!hostAllowed(req)) return rejectUpgrade(socket, 403, 'This server only answers to its own address.\n');
    if (!isAuthorized(req, url, port, token)) return rejectUpgrade(socket, 401, UNAUTHORIZED_TEXT);
    // A page elsewhere cannot drive the editor: the socket must come from this server's own pages.
    if (req.headers.origin !== `http://${req.headers.host ?? ''}`) return rejectUpgrade(socket, 403, 'Origin not allowed.\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      serveRpcSocket(ws, services.handlers, log);
    });
  });

  const unsubscribe = services.onEvent((event, payload) => {
    for (const ws of clients) send(ws, { event, payload }, log);
  });

  try {
    await listen(server, requestedPort, host);
  } catch (err) {
    unsubscribe();
    wss.close();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  if (!loopback) {
    log(`adstudio editor: WARNING: listening on ${host}, which other machines can reach. Anyone with the link (it contains the token) can use this editor and the files in its folders.`);
  }

  const origin = `http://${urlHost(host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        await closeClients(clients);
        wss.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new AppError('io', `port ${port} is already in use on ${host}. Choose another with --port N, or --port 0 for any free port.`));
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new AppError('io', `cannot listen on ${host}: it is not an address of this machine.`));
      } else if (err.code === 'EACCES') {
        reject(new AppError('io', `permission denied to listen on ${host} port ${port}; use a port above 1023.`));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  const info = await stat(file);
  writeHead(res, 200, { ...headers, 'Content-Length': String(info.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function writeHead(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
}

function plain(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  writeHead(res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store' });
  res.end(body);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
  const body = Buffer.from(text, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${text}`,
  );
}

async function closeClients(clients: Set<WebSocket>): Promise<void> {
  const closed = [...clients].map((ws) => new Promise<void>((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close(1001, 'server shutting down');
  }));
  // A client that ignores the close handshake gets cut off after a short grace period.
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 1000).unref())]);
  for (const ws of clients) ws.terminate();
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** How `host` appears in a URL: unspecified addresses become 127.0.0.1, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
