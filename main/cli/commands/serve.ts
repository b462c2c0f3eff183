import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../preload/contract/index.js';
import { createEmbeddedInpaintEngine } from '../../engine/embedded-inpaint-engine.js';
import type { InpaintEngine } from '../../engine/inpaint-engine.js';
import { assertUsableToken, generateToken, tokensEqual } from '../../server/auth.js';
import { UsageError } from '../cli-io.js';
import { packageVersion } from '../version.js';
import type { CliCommand } from './command.js';

export const DEFAULT_SERVE_PORT = 8765;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the engine server (HTTP; token required except for /health)',
  usage: 'adstudio serve [--port N] [--host H] [--token T]',
  details: [
    'Options:',
    `  --port N    port to listen on (default ${DEFAULT_SERVE_PORT}; 0 = any free port)`,
    '  --host H    address to listen on (default 127.0.0.1; inside a container 0.0.0.0, published',
    '              on the host\'s 127.0.0.1 only)',
    '  --token T   access token (default $ADSTUDIO_TOKEN, else 32 random bytes printed on stderr);',
    '              16-256 URL-safe characters',
    '',
    'Routes (this is the minimal server; the versioned engine protocol grows here):',
    '  GET /health     {status: "healthy", engine: "embedded", version} — no token needed',
    '  GET /v1/info    engine name, version and inpainting methods — token needed',
    'The token goes in "Authorization: Bearer <token>" (or ?token=).',
    '',
    'Prints one line on stdout, the address:',
    '  adstudio serve: http://127.0.0.1:PORT',
    'and serves until Ctrl+C / SIGTERM, then finishes open requests and exits 0.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'serve');
    const port = parsePort(values.port);
    const host = stringOption(values.host, 'host') ?? '127.0.0.1';
    const given = stringOption(values.token, 'token') ?? (io.env.ADSTUDIO_TOKEN || undefined);
    const token = given ?? generateToken();
    assertUsableToken(token);

    const engine = createEmbeddedInpaintEngine();
    const server = await startEngineServer({ host, port, token, engine, version: packageVersion() });
    io.stdout.write(`adstudio serve: ${server.url}\n`);
    if (!given) io.stderr.write(`adstudio serve: access token ${token} (send "Authorization: Bearer <token>")\n`);
    io.stderr.write('adstudio serve: press Ctrl+C to stop.\n');

    await new Promise<void>((resolveStop) => {
      if (signal.aborted) return resolveStop();
      signal.addEventListener('abort', () => resolveStop(), { once: true });
    });
    io.stderr.write('adstudio serve: stopping…\n');
    await server.close();
    await engine.close();
    io.stderr.write('adstudio serve: stopped\n');
    return 0;
  },
};

export interface EngineServerOptions {
  host: string;
  port: number;
  token: string;
  engine: InpaintEngine;
  version: string;
}

export interface EngineServer {
  url: string;
  port: number;
  /** Stops accepting, lets open requests finish (up to 5 s), then closes what is left. */
  close(): Promise<void>;
}

/** The minimal engine server: /health for watchers, everything else behind the token. */
export async function startEngineServer(o: EngineServerOptions): Promise<EngineServer> {
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(o.host);
  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      json(res, 500, { error: { code: 'internal', message: (e as Error).message } });
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://engine');
    // Against DNS rebinding on a loopback bind: only loopback names may appear in Host.
    if (loopback) {
      const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
      if (!['127.0.0.1', 'localhost', '::1'].includes(hostname)) return json(res, 403, { error: { code: 'unauthorized', message: 'unexpected Host header' } });
    }
    if (url.pathname === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'bad-request', message: 'use GET' } });
      return json(res, 200, { status: 'healthy', engine: 'embedded', version: o.version });
    }
    if (!authorized(req, url, o.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return json(res, 401, { error: { code: 'unauthorized', message: 'this engine needs its access token: send "Authorization: Bearer <token>"' } });
    }
    if (url.pathname === '/v1/info' && req.method === 'GET') {
      return json(res, 200, { engine: 'embedded', version: o.version, methods: o.engine.methods() });
    }
    return json(res, 404, { error: { code: 'not-found', message: `no route ${req.method} ${url.pathname}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new AppError('io', `port ${o.port} on ${o.host} is already in use; choose another with --port`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new AppError('bad-request', `cannot listen on ${o.host}: no such address on this machine`));
      else reject(e);
    });
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
  const given = bearer ?? url.searchParams.get('token');
  return given !== null && tokensEqual(given, token);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`option --${name} needs a value`, 'serve');
  return value;
}

function parsePort(value: unknown): number {
  const text = stringOption(value, 'port');
  if (text === undefined) return DEFAULT_SERVE_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`, 'serve');
  return Number(text);
}
