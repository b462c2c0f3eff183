import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../preload/contract/index.js';
import { ModelStore, repoLayout, type ModelProgress, type ModelSpec } from '../../../../../main/core/models/index.js';
import { tinyLamaModel } from '../../engine/lama/tiny-lama-model.js';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.js';

const MB = 1024 * 1024;
// A real (tiny) LaMa-shaped ONNX model, padded to 3 MB so a download has a middle to cut.
const MODEL = tinyLamaModel({ padBytes: 3 * MB });
const SHA = createHash('sha256').update(MODEL).digest('hex');
const REVISION = '0123456789abcdef0123456789abcdef01234567';

const SPEC: ModelSpec = {
  id: 'tiny',
  label: 'Tiny LaMa',
  task: 'inpaint',
  repo: { org: 'Test', name: 'Tiny-LaMa', revision: REVISION },
  files: [{ path: 'tiny.onnx', sha256: SHA, sizeBytes: MODEL.length }],
  license: 'Apache-2.0',
  homepage: 'https://example.invalid/tiny',
  footprint: { ramBytes: 10 * MB, vramBytes: 0 },
  io: { inputs: [], outputs: [] },
  source: 'built by the test',
};

let hub: LoopbackHub;
let dir: string;
let hubDir: string;

const store = (extra: Partial<ConstructorParameters<typeof ModelStore>[0]> = {}) =>
  new ModelStore({ hubDir, hubUrl: hub.url, registry: [SPEC], retryDelayMs: 5, ...extra });
const layout = () => repoLayout(hubDir, SPEC);
const lfsRequests = () => hub.requests.filter((r) => r.path.startsWith('/lfs/'));

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  hub = await startLoopbackHub();
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'adstudio-models-'));
  hubDir = join(dir, 'hub');
  hub.requests.length = 0;
  hub.put('Test/Tiny-LaMa', REVISION, 'tiny.onnx', MODEL);
  hub.cutAfter(0, 0);
  hub.throttle(0, 0);
  hub.ignoreRange(false);
  hub.failWith(null);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('download', () => {
  it('fetches with progress into the Hugging Face cache layout, and the model runs from there', async () => {
    const seen: ModelProgress[] = [];
    const status = await store().download('tiny', { onProgress: (p) => seen.push(p) });

    expect(status.state).toBe('installed');
    const l = layout();
    expect(l.repoDir).toBe(join(hubDir, 'models--Test--Tiny-LaMa'));
    // blobs/<sha256> holds the bytes; snapshots/<revision>/<file> is a relative symlink to it; refs/main names the revision.
    expect(readFileSync(l.blob(SHA)).equals(MODEL)).toBe(true);
    const snap = join(l.repoDir, 'snapshots', REVISION, 'tiny.onnx');
    expect(lstatSync(snap).isSymbolicLink()).toBe(true);
    expect(readlinkSync(snap)).toBe(join('..', '..', 'blobs', SHA));
    expect(readFileSync(join(l.repoDir, 'refs', 'main'), 'utf8')).toBe(REVISION);
    expect(status.path).toBe(snap);
    expect(readdirSync(l.blobsDir)).toEqual([SHA]); // no .incomplete left behind

    const downloads = seen.filter((p) => p.phase === 'download');
    expect(downloads.length).toBeGreaterThan(1);
    for (let i = 1; i < downloads.length; i++) expect(downloads[i]!.fraction).toBeGreaterThanOrEqual(downloads[i - 1]!.fraction);
    expect(downloads.at(-1)!.fraction).toBe(1);

    // The redirect to the "CDN" was followed, and the installed file is a working ONNX model.
    expect(hub.requests.map((r) => r.status)).toEqual([302, 200]);
    const session = await ort.InferenceSession.create(status.path!);
    expect(session.inputNames).toEqual(['image', 'mask']);
    expect(session.outputNames).toEqual(['output']);
    await session.release();
  });

  it('resumes with an HTTP Range request when the connection is cut mid-way', async () => {
    hub.cutAfter(MB, 1);
    const status = await store().download('tiny');
    expect(status.state).toBe('installed');
    expect(readFileSync(layout().blob(SHA)).equals(MODEL)).toBe(true);
    const lfs = lfsRequests();
    expect(lfs.map((r) => r.status)).toEqual([200, 206]);
    expect(lfs[0]!.range).toBeNull();
    // Resumed from the bytes that reached the disk: the server sent 1 MiB before hanging up, but
    // chunks still queued in the HTTP client when the socket closes are dropped with the stream, so
    // the resume point is at most 1 MiB — never 0 (a restart) and never past what was sent.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(lfs[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(MB / 2);
    expect(resumedAt).toBeLessThanOrEqual(MB);
  });

  it('keeps a cancelled download and resumes it on the next call', async () => {
    hub.throttle(256 * 1024, 15);
    const controller = new AbortController();
    const first = store().download('tiny', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.fraction > 0.3) controller.abort();
      },
    });
    expect((await rejection(first)).code).toBe('cancelled');
    const partial = layout().incomplete(SHA);
    const kept = lstatSync(partial).size;
    expect(kept).toBeGreaterThan(0.3 * MODEL.length);
    expect(kept).toBeLessThan(MODEL.length);
    const s = store();
    expect(s.status('tiny')).toMatchObject({ state: 'partial', partialBytes: kept, path: null });
    await expect(s.requireInstalled('tiny')).rejects.toThrow(/not installed \(a download stopped at/);

    hub.throttle(0, 0);
    hub.requests.length = 0;
    const status = await s.download('tiny');
    expect(status.state).toBe('installed');
    expect(lfsRequests()[0]!.range).toBe(`bytes=${kept}-`);
    expect(readFileSync(status.path!).equals(MODEL)).toBe(true);
    expect(existsSync(partial)).toBe(false);
  });

  it('starts over when the server ignores Range', async () => {
    hub.cutAfter(MB, 1);
    hub.ignoreRange(true);
    const status = await store().download('tiny');
    expect(status.state).toBe('installed');
    expect(lfsRequests().map((r) => r.status)).toEqual([200, 200]);
    expect(readFileSync(status.path!).equals(MODEL)).toBe(true);
  });

  it('refuses a file whose checksum differs, discards it and installs nothing', async () => {
    const wrong = Buffer.from(MODEL);
    wrong[wrong.length - 10]! ^= 0xff;
    hub.put('Test/Tiny-LaMa', REVISION, 'tiny.onnx', wrong);
    const err = await rejection(store().download('tiny'));
    expect(err.code).toBe('io');
    expect(err.message).toMatch(/does not match the published checksum/);
    expect(err.message).toContain(SHA);
    expect(readdirSync(layout().blobsDir)).toEqual([]); // neither blob nor partial
    expect(existsSync(join(layout().repoDir, 'snapshots'))).toBe(false);
    expect(store().status('tiny').state).toBe('missing');
  });

  it('refuses a truncated file on the hub (wrong size) before writing it', async () => {
    hub.put('Test/Tiny-LaMa', REVISION, 'tiny.onnx', MODEL.subarray(0, MODEL.length - 1000));
    const err = await rejection(store().download('tiny'));
    expect(err.message).toMatch(/is \d+ bytes, but the published model is \d+ bytes/);
    expect(readdirSync(layout().blobsDir)).toEqual([]);
  });

  it('keeps the bytes for a later resume when the connection keeps dropping', async () => {
    hub.cutAfter(MB, 10);
    const err = await rejection(store({ retries: 1 }).download('tiny'));
    expect(err.code).toBe('io');
    expect(err.message).toMatch(/failed after 2 attempts.*connection.*kept: run the download again to resume/);
    // Two attempts of up to 1 MB each (what was in flight when the socket died may be lost).
    const kept = lstatSync(layout().incomplete(SHA)).size;
    expect(kept).toBeGreaterThan(MB);
    expect(kept).toBeLessThanOrEqual(2 * MB);
    expect(store().status('tiny').state).toBe('partial');
  });

  it('says what is wrong: 404, hub errors, network down', async () => {
    const missing: ModelSpec = { ...SPEC, id: 'gone', repo: { ...SPEC.repo, name: 'Gone' } };
    const e404 = await rejection(store({ registry: [missing] }).download('gone'));
    expect(e404.code).toBe('not-found');
    expect(e404.message).toMatch(/HTTP 404/);

    hub.failWith(503);
    const e503 = await rejection(store({ retries: 1 }).download('tiny'));
    expect(e503.message).toMatch(/HTTP 503/);
    hub.failWith(null);

    const closed = await closedPort();
    const down = await rejection(new ModelStore({ hubDir, hubUrl: `http://127.0.0.1:${closed}`, registry: [SPEC], retries: 1, retryDelayMs: 1 }).download('tiny'));
    expect(down.code).toBe('io');
    expect(down.message).toBe(`cannot reach 127.0.0.1:${closed}: connection refused. Check the network connection, or fetch the file on another machine and use "adstudio models import".`);
  });

  it('checks free disk space before fetching anything', async () => {
    const err = await rejection(store({ freeSpace: async () => MB }).download('tiny'));
    expect(err.code).toBe('io');
    expect(err.message).toMatch(/not enough free disk space .* is free/);
    expect(hub.requests).toEqual([]);
  });

  it('is a no-op for an installed, intact model and repairs a damaged one', async () => {
    await store().download('tiny');
    hub.requests.length = 0;
    await store().download('tiny');
    expect(hub.requests).toEqual([]);

    await corruptBlob();
    const status = await store().download('tiny');
    expect(status.state).toBe('installed');
    expect(lfsRequests()).toHaveLength(1);
    expect(readFileSync(status.path!).equals(MODEL)).toBe(true);
  });

  it('shares one download between two callers in a process', async () => {
    const s = store();
    const [a, b] = await Promise.all([s.download('tiny'), s.download('tiny')]);
    expect(a).toBe(b);
    expect(lfsRequests()).toHaveLength(1);
  });

  it('refuses while another live process holds the lock, and takes over a dead one', async () => {
    const l = layout();
    mkdirSync(l.locksDir, { recursive: true });
    const lock = join(l.locksDir, `${SHA}.adstudio.lock`);
    writeFileSync(lock, `${process.ppid} ${(await import('node:os')).hostname()}\n`);
    const busy = await rejection(store().download('tiny'));
    expect(busy.code).toBe('engine-busy');
    writeFileSync(lock, `999999999 ${(await import('node:os')).hostname()}\n`);
    expect((await store().download('tiny')).state).toBe('installed');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('installed means verified', () => {
  it('never counts a half-written file, even with every byte present', async () => {
    const l = layout();
    mkdirSync(l.blobsDir, { recursive: true });
    writeFileSync(l.incomplete(SHA), MODEL);
    const s = store();
    expect(s.status('tiny').state).toBe('partial');
    expect(s.installedPath('tiny')).toBeNull();
    const err = await rejection(s.requireInstalled('tiny'));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/not installed.*adstudio models download tiny/);
    // The complete partial file is finished without fetching again.
    const status = await s.download('tiny');
    expect(status.state).toBe('installed');
    expect(lfsRequests()).toEqual([]);
  });

  it('links a blob another tool already fetched (same volume) without downloading it again', async () => {
    const l = layout();
    mkdirSync(l.blobsDir, { recursive: true });
    writeFileSync(l.blob(SHA), MODEL); // e.g. huggingface_hub fetched it for another revision
    const s = store();
    expect(s.status('tiny').state).toBe('missing'); // no snapshot link for our revision yet
    const status = await s.download('tiny');
    expect(status.state).toBe('installed');
    expect(readlinkSync(status.path!)).toBe(join('..', '..', 'blobs', SHA));
    expect(hub.requests).toEqual([]);
  });

  it('leaves refs/main alone when another tool already set it', async () => {
    const l = layout();
    mkdirSync(join(l.repoDir, 'refs'), { recursive: true });
    writeFileSync(l.refFile, 'ffffffffffffffffffffffffffffffffffffffff');
    await store().download('tiny');
    expect(readFileSync(l.refFile, 'utf8')).toBe('ffffffffffffffffffffffffffffffffffffffff');
  });

  it('requireInstalled names the command that installs a missing model', async () => {
    const err = await rejection(store().requireInstalled('tiny'));
    expect(err.code).toBe('not-found');
    expect(err.message).toBe('the Tiny LaMa model is not installed: run "adstudio models download tiny" (3 MB), or "adstudio models import tiny <file>" with a copy fetched on another machine');
  });
});

describe('import', () => {
  it('places a file fetched elsewhere after checking it', async () => {
    const src = join(dir, 'downloaded-elsewhere.onnx');
    writeFileSync(src, MODEL);
    const status = await store().importFile('tiny', src);
    expect(status.state).toBe('installed');
    expect(readlinkSync(status.path!)).toBe(join('..', '..', 'blobs', SHA));
    expect(readFileSync(status.path!).equals(MODEL)).toBe(true);
    expect(readFileSync(src).equals(MODEL)).toBe(true); // the user's file is left alone
    expect(hub.requests).toEqual([]);
    expect((await store().verify())[0]).toMatchObject({ id: 'tiny', state: 'ok', path: status.path });
  });

  it('refuses a file with the right size and the wrong content, leaving nothing behind', async () => {
    const src = join(dir, 'other.onnx');
    const wrong = Buffer.from(MODEL);
    wrong[5]! ^= 1;
    writeFileSync(src, wrong);
    const err = await rejection(store().importFile('tiny', src));
    expect(err.message).toMatch(/checksum mismatch: .*other\.onnx has SHA-256 [0-9a-f]{64}, but tiny expects/);
    expect(readdirSync(layout().blobsDir)).toEqual([]);
    expect(store().status('tiny').state).toBe('missing');
  });

  it('refuses a file of the wrong size or a missing file at once', async () => {
    const src = join(dir, 'small.onnx');
    writeFileSync(src, 'not a model');
    await expect(store().importFile('tiny', src)).rejects.toThrow(/is 11 bytes, but tiny\.onnx is \d+ bytes: it is not the Tiny LaMa file/);
    await expect(store().importFile('tiny', join(dir, 'nope.onnx'))).rejects.toThrow(/no such file/);
    await expect(store().importFile('unknown', src)).rejects.toThrow(/unknown model "unknown"; known models: tiny/);
  });
});

describe('verify', () => {
  it('reports missing, ok, and a corrupted blob, which then is not usable', async () => {
    expect(await store().verify()).toEqual([{ id: 'tiny', state: 'missing', path: null }]);
    await store().download('tiny');
    const s = store();
    expect(await s.requireInstalled('tiny')).toBe(s.installedPath('tiny'));

    await corruptBlob();
    const [result] = await s.verify();
    expect(result).toMatchObject({ id: 'tiny', state: 'corrupt', path: null });
    expect(result!.detail).toMatch(/does not match its SHA-256/);
    const err = await rejection(s.requireInstalled('tiny'));
    expect(err.message).toMatch(/is damaged .*adstudio models download tiny/);
  });

  it('reports a blob of the wrong size as corrupt without hashing', async () => {
    await store().download('tiny');
    await open(layout().blob(SHA), 'r+').then(async (fh) => {
      await fh.truncate(100);
      await fh.close();
    });
    expect(store().status('tiny').state).toBe('corrupt');
    expect((await store().verify())[0]!.state).toBe('corrupt');
  });
});

/** A port nothing listens on (a server bound it, then closed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Flips one byte of the installed blob in place (same size, new content). */
async function corruptBlob(): Promise<void> {
  const fh = await open(layout().blob(SHA), 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, 1000);
  b[0]! ^= 0xff;
  await fh.write(b, 0, 1, 1000);
  await fh.close();
}
