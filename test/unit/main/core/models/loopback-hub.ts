import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, as the model manager sees it:
 * GET /<org>/<name>/resolve/<revision>/<file> answers 302 to /lfs/<key> (like HF's CDN redirect), which
 * serves the bytes with Range support (206 + Content-Range, 416 past the end). Tests can make it cut
 * the connection mid-body, send the body slowly, ignore Range, or fail with a status.
 */
export interface HubRequest {
  path: string;
  range: string | null;
  status: number;
}

export interface LoopbackHub {
  url: string;
  requests: HubRequest[];
  /** Serves `bytes` at /<repoPath>/resolve/<revision>/<file>. */
  put(repoPath: string, revision: string, file: string, bytes: Buffer): void;
  /** The next `times` body responses stop (socket destroyed) after `bytes` bytes of body. */
  cutAfter(bytes: number, times?: number): void;
  /** Send the body in `chunk`-byte pieces with `delayMs` between them (0 = all at once). */
  throttle(chunk: number, delayMs: number): void;
  /** Answer every Range request with a full 200 (a server without resume support). */
  ignoreRange(on: boolean): void;
  /** Answer every request with this status (e.g. 503), or null for normal service. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startLoopbackHub(): Promise<LoopbackHub> {
  const files = new Map<string, Buffer>();
  const requests: HubRequest[] = [];
  let cut: { bytes: number; times: number } | null = null;
  let slow = { chunk: 0, delayMs: 0 };
  let noRange = false;
  let failing: number | null = null;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range ?? null;
    const log = (status: number) => requests.push({ path, range, status });
    if (failing !== null) {
      log(failing);
      res.writeHead(failing).end('failing on purpose');
      return;
    }
    const resolve = /^\/(.+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const key = `${resolve[1]}@${resolve[2]}/${resolve[3]}`;
      if (!files.has(key)) {
        log(404);
        res.writeHead(404).end('Entry not found');
        return;
      }
      log(302);
      res.writeHead(302, { location: `/lfs/${encodeURIComponent(key)}` }).end();
      return;
    }
    const lfs = /^\/lfs\/(.+)$/.exec(path);
    const body = lfs ? files.get(lfs[1]!) : undefined;
    if (!body) {
      log(404);
      res.writeHead(404).end('not found');
      return;
    }
    let start = 0;
    let status = 200;
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m && !noRange) {
      start = Number(m[1]);
      if (start >= body.length) {
        log(416);
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
    }
    log(status);
    const part = body.subarray(start);
    res.writeHead(status, {
      'content-length': String(part.length),
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      ...(status === 206 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    let limit = part.length;
    let destroyAfter = false;
    if (cut && cut.times > 0) {
      cut.times--;
      limit = Math.min(limit, cut.bytes);
      destroyAfter = true;
    }
    void sendBody(res, part.subarray(0, limit), slow).then(() => {
      // end(), not destroy(): a FIN after the bytes already sent, so they all arrive (a reset could drop some).
      if (destroyAfter) res.socket?.end();
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put: (repoPath, revision, file, bytes) => files.set(`${repoPath}@${revision}/${file}`, bytes),
    cutAfter: (bytes, times = 1) => (cut = { bytes, times }),
    throttle: (chunk, delayMs) => (slow = { chunk, delayMs }),
    ignoreRange: (on) => (noRange = on),
    failWith: (status) => (failing = status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function sendBody(res: ServerResponse, bytes: Buffer, slow: { chunk: number; delayMs: number }): Promise<void> {
  const step = slow.chunk > 0 ? slow.chunk : bytes.length || 1;
  for (let at = 0; at < bytes.length; at += step) {
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(bytes.subarray(at, at + step), () => resolve()));
    if (slow.delayMs > 0) await new Promise((r) => setTimeout(r, slow.delayMs));
  }
}
