import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { CustomScheme, Protocol } from 'electron';
import type { Services } from '../core/services-types.js';
import { SECURITY_HEADERS } from '../server/security-headers.js';
import { mimeFor, resolveStaticPath } from '../server/static-files.js';
import { APP_SCHEME, isAppUrl } from './app-url.js';

export const APP_SCHEME_DEFINITION: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true },
};

/** Must run before the app is ready (Electron requirement). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_DEFINITION]);
}

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer). */
  staticDir: string;
  services: Pick<Services, 'assetFile'>;
}

/** Serves app://adstudio/ like the browser-mode server: renderer files, and /assets/<hash> from the store. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, options: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(options));
}

const SERVICE_ASSET = /^\/assets\/([0-9a-f]{64})$/;

export function createAppRequestHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!isAppUrl(request.url)) return text(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    const { pathname } = new URL(request.url);
    const asset = SERVICE_ASSET.exec(pathname);
    if (asset) {
      const found = await options.services.assetFile(asset[1] as string);
      if (!found) return text(404, 'No such asset');
      return file(request, found.path, { 'Content-Type': found.mime, 'Cache-Control': 'private, max-age=31536000, immutable' });
    }
    const path = await resolveStaticPath(options.staticDir, pathname);
    if (!path) return text(404, 'Not found');
    return file(request, path, { 'Content-Type': mimeFor(path), 'Cache-Control': 'no-cache' });
  };
}

async function file(request: Request, path: string, headers: Record<string, string>): Promise<Response> {
  const info = await stat(path);
  const all = { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(info.size) };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: all });
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body as unknown as ConstructorParameters<typeof Response>[0], { status: 200, headers: all });
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
