import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../preload/contract/index.js';
import { assertUsableToken, tokensEqual } from '../server/auth.js';

export const MCP_HTTP_PATH = '/mcp';
/** Tool calls carry paths and a few numbers: a JSON-RPC message is small. */
const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

export interface McpHttpOptions {
  host: string;
  port: number;
  token: string;
  /** A fresh McpServer for each session (the SDK binds one server to one transport). */
  newServer: () => McpServer;
  log: (line: string) => void;
}

export interface McpHttpServer {
  /** e.g. http://127.0.0.1:8766/mcp */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
}

/**
 * MCP over streamable HTTP (one endpoint, sessions by Mcp-Session-Id). Every request needs the token
 * ("Authorization: Bearer <token>", compared in constant time); on a loopback bind only loopback names
 * may appear in Host, and a browser's Origin must be this server's own (DNS rebinding, drive-by pages).
 */
export async function startMcpHttpServer(o: McpHttpOptions): Promise<McpHttpServer> {
  assertUsableToken(o.token);
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  const loopback = LOOPBACK_NAMES.includes(o.host);
  let port = o.port;

  const reply = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ jsonrpc: '2.0', error: { code: status === 401 ? -32001 : -32000, message }, id: null });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mcp.invalid');
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (loopback ? !LOOPBACK_NAMES.includes(hostName) : hostName === '') {
      return reply(res, 403, `this MCP server answers only to a loopback address, not to Host "${req.headers.host ?? ''}"`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigin(origin, o.host, port)) {
      return reply(res, 403, `requests from the web page at ${origin} are not allowed`);
    }
    const auth = req.headers.authorization ?? '';
    const given = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!given || !tokensEqual(given, o.token)) {
      return reply(res, 401, 'this MCP server needs its access token: send "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer' });
    }
    if (url.pathname !== MCP_HTTP_PATH) return reply(res, 404, `the MCP endpoint is ${MCP_HTTP_PATH}`);

    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (req.method === 'POST') {
      const body = await readJson(req);
      if (existing) return existing.transport.handleRequest(req, res, body);
      if (typeof sessionId === 'string') return reply(res, 404, 'unknown or expired MCP session; initialize a new one');
      if (!isInitializeRequest(body)) return reply(res, 400, 'no MCP session: the first request must be "initialize"');
      const server = o.newServer();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!existing) return reply(res, typeof sessionId === 'string' ? 404 : 400, 'unknown or missing MCP session');
      return existing.transport.handleRequest(req, res);
    }
    return reply(res, 405, `use POST, GET or DELETE on ${MCP_HTTP_PATH}`, { allow: 'POST, GET, DELETE' });
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof AppError && e.code === 'too-large' ? 413 : e instanceof AppError && e.code === 'bad-request' ? 400 : 500;
      if (status === 500) o.log(`MCP HTTP ${req.method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      reply(res, status, e instanceof Error ? e.message : String(e), status === 413 ? { connection: 'close' } : {});
    });
  });
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new AppError('io', `port ${o.port} on ${o.host} is already in use; choose another with --port`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new AppError('bad-request', `cannot listen on ${o.host}: no such address on this machine`));
      else reject(e);
    });
    http.listen(o.port, o.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  const hostInUrl = o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    url: `http://${hostInUrl}:${port}${MCP_HTTP_PATH}`,
    port,
    async close() {
      for (const s of [...sessions.values()]) await s.transport.close().catch(() => undefined);
      sessions.clear();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

function allowedOrigin(origin: string, host: string, port: number): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  const name = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const names = LOOPBACK_NAMES.includes(host) ? LOOPBACK_NAMES : [host.toLowerCase()];
  return u.protocol === 'http:' && names.includes(name) && Number(u.port || 80) === port;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('too-large', `request body over ${MAX_BODY_BYTES / 1024} KiB; tool calls carry file paths, not files`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('bad-request', 'the request body is not JSON');
  }
}
