import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaskRequest, MaskResponse } from '../../../renderer/src/mask/mask-ops';
import { createMaskWorkerClient, type WorkerLike } from '../../../renderer/src/mask/mask-worker-client';
import { feather, grow, shrink } from '../../../renderer/src/mask/morphology';
import { decodeGrayPng } from '../../../renderer/src/mask/png-gray';
import { firstDifference, textLikeMask } from './mask-fixtures';

const W = 320;
const H = 240;

interface Scope {
  onmessage: ((e: { data: MaskRequest }) => void) | null;
  postMessage(msg: MaskResponse, transfer: Transferable[]): void;
}

/**
 * Runs the real mask-worker.ts entry in-process: `self` is a fake worker scope, and messages cross
 * with structuredClone + transfer lists, as they do between threads. The entry module runs once,
 * so one scope serves every test; `toClient` points at the newest fake worker.
 */
const transferred: ArrayBuffer[] = [];
let toClient: ((msg: MaskResponse) => void) | null = null;
const scope: Scope = {
  onmessage: null,
  postMessage(msg, transfer) {
    transferred.push(...(transfer as ArrayBuffer[]));
    const copy = structuredClone(msg, { transfer });
    setTimeout(() => toClient?.(copy), 0);
  },
};

beforeAll(async () => {
  (globalThis as { self?: unknown }).self = scope;
  await import('../../../renderer/src/mask/mask-worker');
  expect(typeof scope.onmessage).toBe('function');
});

afterAll(() => {
  delete (globalThis as { self?: unknown }).self;
});

function fakeWorkers() {
  let created = 0;
  let terminated = 0;
  transferred.length = 0;
  const createWorker = (): WorkerLike => {
    created++;
    const worker: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage(msg, transfer) {
        transferred.push(...(transfer as ArrayBuffer[]));
        const copy = structuredClone(msg, { transfer });
        setTimeout(() => scope.onmessage!({ data: copy }), 0);
      },
      terminate() {
        terminated++;
      },
    };
    toClient = (msg) => worker.onmessage?.({ data: msg } as MessageEvent<MaskResponse>);
    return worker;
  };
  return { createWorker, counts: () => ({ created, terminated }) };
}

describe('mask worker client', () => {
  it('falls back to synchronous operations where there is no Worker (node)', async () => {
    expect(typeof Worker).toBe('undefined');
    const client = createMaskWorkerClient();
    expect(client.usesWorker).toBe(false);
    const m = textLikeMask(W, H);
    const before = m.slice();
    expect(firstDifference(await client.grow(m, W, H, 5), grow(m, W, H, 5))).toBe(-1);
    expect(firstDifference(await client.feather(m, W, H, 4), feather(m, W, H, 4))).toBe(-1);
    expect(firstDifference(decodeGrayPng(await client.encodePng(m, W, H)).data, m)).toBe(-1);
    expect(firstDifference(m, before)).toBe(-1);
    await expect(client.grow(m, W + 1, H, 5)).rejects.toMatchObject({ name: 'RendererError' });
  });

  it('runs operations through the worker entry with transfers, leaving the caller’s mask intact', async () => {
    const { createWorker } = fakeWorkers();
    const client = createMaskWorkerClient({ createWorker });
    expect(client.usesWorker).toBe(true);
    const m = textLikeMask(W, H, 4);
    const [g, s, png] = await Promise.all([client.grow(m, W, H, 3), client.shrink(m, W, H, 2), client.encodePng(m, W, H)]);
    expect(firstDifference(g, grow(m, W, H, 3))).toBe(-1);
    expect(firstDifference(s, shrink(m, W, H, 2))).toBe(-1);
    const decoded = await client.decodePng(png);
    expect(decoded).toMatchObject({ width: W, height: H });
    expect(firstDifference(decoded.data, m)).toBe(-1);
    expect(m.length).toBe(W * H); // not detached
    // Inputs (copies) and results crossed as transfers, not clones: those buffers are now detached.
    expect(transferred.length).toBeGreaterThanOrEqual(8);
    for (const b of transferred) expect(b.byteLength).toBe(0);
  });

  it('encodePngTransfer moves the mask to the worker and back without a copy', async () => {
    const { createWorker } = fakeWorkers();
    const client = createMaskWorkerClient({ createWorker });
    const m = textLikeMask(W, H, 9) as Uint8Array<ArrayBuffer>;
    const expected = m.slice();
    const sent = m.buffer;
    const pending = client.encodePngTransfer(m, W, H);
    expect(m.length).toBe(0); // handed over while the worker has it
    const { png, mask } = await pending;
    expect(firstDifference(mask, expected)).toBe(-1);
    expect(firstDifference(decodeGrayPng(png).data, expected)).toBe(-1);
    expect(transferred).toContain(sent);
    // Without a Worker it is the very same array.
    const sync = createMaskWorkerClient({ createWorker: () => null });
    const own = expected.slice();
    expect((await sync.encodePngTransfer(own, W, H)).mask).toBe(own);
  });

  it('composes region crops in the worker; the crops are copied, so the caller keeps them', async () => {
    const { createWorker } = fakeWorkers();
    const client = createMaskWorkerClient({ createWorker });
    const base = textLikeMask(W, H, 6);
    const crop = { x: 100, y: 50, width: 40, height: 30, data: new Uint8Array(40 * 30).fill(255) };
    const out = await client.compose(base, W, H, [crop]);
    expect(crop.data.length).toBe(1200); // not detached
    expect(base.length).toBe(W * H);
    const expected = base.slice();
    for (let y = 50; y < 80; y++) expected.fill(255, y * W + 100, y * W + 140);
    expect(firstDifference(out, expected)).toBe(-1);
  });

  it('turns errors inside the worker into RendererErrors with their code', async () => {
    const { createWorker } = fakeWorkers();
    const client = createMaskWorkerClient({ createWorker });
    await expect(client.decodePng(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ name: 'RendererError', code: 'bad-image', message: 'Not a PNG file' });
  });

  it('a crashed worker fails its pending calls and the next call starts a new one', async () => {
    const { createWorker, counts } = fakeWorkers();
    let worker: WorkerLike | null = null;
    const client = createMaskWorkerClient({
      createWorker: () => {
        worker = createWorker();
        return worker;
      },
    });
    const m = textLikeMask(W, H, 5);
    const pending = client.grow(m, W, H, 2);
    worker!.onerror!({ message: 'out of memory' } as ErrorEvent);
    await expect(pending).rejects.toMatchObject({ code: 'internal', message: 'The mask worker stopped: out of memory' });
    expect(counts()).toEqual({ created: 1, terminated: 1 });
    expect(firstDifference(await client.grow(m, W, H, 2), grow(m, W, H, 2))).toBe(-1);
    expect(counts().created).toBe(2);
  });
});
