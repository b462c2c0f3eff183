import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import { ProtocolError } from './protocol-errors.js';

/** JSON request bodies above this are refused with 413 before they are parsed. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body, refusing more than `limit` bytes (413) as soon as the declared length or the
 * received bytes pass it, and anything that is not JSON (400). An empty body reads as `{}`.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new ProtocolError('too-large', `the request body is larger than ${limit} bytes; send file paths inside the workspace, not file contents`, 413);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    await drain(req, DRAIN_CAP_BYTES);
    throw tooLarge();
  }
  const type = String(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      await drain(req, DRAIN_CAP_BYTES);
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('bad-request', `send the body as JSON (Content-Type: application/json), not ${type}`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (e) {
    throw new AppError('bad-request', `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Up to this much of a refused body is read and dropped, so the client sees the 413 rather than a broken pipe. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a request body (up to `cap` bytes). Answering while the client is
 * still writing makes it fail with EPIPE/ECONNRESET instead of reading our 413; past the cap we stop
 * waiting and the answer closes the connection.
 */
function drain(req: IncomingMessage, cap: number): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      req.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > cap) done();
    };
    req.on('data', onData).once('end', done).once('close', done).once('error', done);
    req.resume();
  });
}

/** Validates with zod; the message names each failing field so a caller can fix the request. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  throw new AppError('bad-request', `invalid ${what}: ${issues}`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
