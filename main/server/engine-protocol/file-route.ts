import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ServerResponse } from 'node:http';
import { AppError } from '../../../preload/contract/index.js';
import type { Workspace } from './workspace.js';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** GET /v1/files?path=…: the bytes of one result file inside the workspace, streamed. */
export async function sendWorkspaceFile(res: ServerResponse, ws: Workspace, path: string | null, extraHeaders: Record<string, string>): Promise<void> {
  if (!path) throw new AppError('bad-request', 'say which file: GET /v1/files?path=<path inside the workspace>');
  const real = await ws.resolve(path, 'file');
  const s = await stat(real).catch(() => null);
  if (!s) throw new AppError('not-found', `"${path}" does not exist in the workspace`);
  if (!s.isFile()) throw new AppError('bad-request', `"${path}" is not a file`);
  res.writeHead(200, {
    'content-type': TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(s.size),
    'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(basename(real))}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(real);
    stream.on('error', () => res.destroy());
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
