import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AssetInfo } from '../../../preload/contract/channels';
import { RendererError } from '../../../renderer/src/assets/renderer-error';
import { UploadQueue, type UploadFailure, type UploadRequest } from '../../../renderer/src/assets/upload-queue';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function request(content: string, kind: 'image' | 'mask' = 'mask'): UploadRequest {
  const bytes = new TextEncoder().encode(content) as Uint8Array<ArrayBuffer>;
  return { hash: sha(bytes), kind, bytes, width: 4, height: 3 };
}

/** A host that stores what it gets, like AssetStore.put; `fail` makes the next puts fail. */
function setup() {
  const stored = new Map<string, AssetInfo>();
  const failures: UploadFailure[] = [];
  let fail: RendererError[] = [];
  const starts: (() => void)[] = [];
  const put = vi.fn(async (req: { kind: 'image' | 'mask'; bytes: Uint8Array }): Promise<AssetInfo> => {
    await Promise.resolve();
    const err = fail.shift();
    if (err) throw err;
    const info: AssetInfo = { hash: sha(req.bytes), kind: req.kind, mime: 'image/png', width: 4, height: 3, bytes: req.bytes.length };
    stored.set(info.hash, info);
    return info;
  });
  const queue = new UploadQueue({ put, onFailed: (f) => failures.push(f), defer: (start) => starts.push(start) });
  return {
    queue,
    put,
    stored,
    failures,
    failNext: (...errors: RendererError[]) => (fail = errors),
    /** Let deferred uploads start (the UI went idle). */
    idle: () => starts.splice(0).forEach((s) => s()),
  };
}

describe('UploadQueue', () => {
  it('sends in the background once idle; whenStored resolves when the host has it', async () => {
    const { queue, put, stored, idle } = setup();
    const r = request('mask A');
    queue.add(r);
    expect(queue.has(r.hash)).toBe(true);
    expect(queue.stats()).toEqual({ count: 1, bytes: r.bytes.byteLength });
    await Promise.resolve();
    expect(put).not.toHaveBeenCalled(); // nothing goes before the UI is idle
    idle();
    await queue.whenStored([r.hash]);
    expect(put).toHaveBeenCalledTimes(1);
    expect(stored.has(r.hash)).toBe(true);
    expect(queue.has(r.hash)).toBe(false);
    expect(queue.stats()).toEqual({ count: 0, bytes: 0 });
  });

  it('someone waiting sends at once, and the same bytes are sent only once', async () => {
    const { queue, put } = setup();
    const r = request('mask B');
    queue.add(r);
    queue.add(r);
    await Promise.all([queue.whenStored([r.hash]), queue.whenStored(), queue.whenStored([r.hash, 'unknown-hash', null])]);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('waits for the given `after` (the local decode) before sending in the background', async () => {
    const { queue, put, idle } = setup();
    let decoded!: () => void;
    const r = request('photo', 'image');
    queue.add(r, new Promise<void>((resolve) => (decoded = resolve)));
    idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    idle();
    expect(put).not.toHaveBeenCalled();
    decoded();
    await new Promise((resolve) => setTimeout(resolve, 0));
    idle();
    await queue.whenStored();
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('a lost connection keeps the bytes: the next wait or retry() sends them again', async () => {
    const { queue, put, stored, failures, failNext, idle } = setup();
    const r = request('mask C');
    failNext(new RendererError('io', 'Not connected'), new RendererError('io', 'Not connected'));
    queue.add(r);
    idle();
    await expect(queue.whenStored([r.hash])).rejects.toMatchObject({ code: 'io' });
    expect(queue.has(r.hash)).toBe(true);
    await expect(queue.whenStored([r.hash])).rejects.toMatchObject({ code: 'io' }); // tried again, still down
    queue.retry(); // the connection is back
    await queue.whenStored([r.hash]);
    expect(put).toHaveBeenCalledTimes(3);
    expect(stored.has(r.hash)).toBe(true);
    expect(failures).toEqual([]);
  });

  it('a refusal (corrupt, truncated) is final: reported once, and every wait rejects with the reason', async () => {
    const { queue, put, failures, failNext, idle } = setup();
    const r = request('truncated photo', 'image');
    failNext(new RendererError('bad-image', '"photo.jpg" could not be decoded (corrupt or truncated)'));
    queue.add({ ...r, name: 'photo.jpg' });
    idle();
    await expect(queue.whenStored([r.hash])).rejects.toMatchObject({ code: 'bad-image' });
    await expect(queue.whenStored([r.hash])).rejects.toMatchObject({ code: 'bad-image' });
    expect(put).toHaveBeenCalledTimes(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ hash: r.hash, kind: 'image', name: 'photo.jpg', error: { code: 'bad-image' } });
    expect(queue.failure(r.hash)?.message).toMatch(/corrupt or truncated/);
    expect(queue.has(r.hash)).toBe(false);
    await queue.whenStored(); // "everything pending" does not include what was refused
    // Opening the same file again tries again.
    queue.add(r);
    await queue.whenStored([r.hash]);
    expect(queue.failure(r.hash)).toBeNull();
  });

  it('the host must name the bytes with the same content hash and see the same size', async () => {
    const { queue, failures, idle } = setup();
    const wrongHash = { ...request('mask D'), hash: 'f'.repeat(64) };
    queue.add(wrongHash);
    const wrongSize = { ...request('mask E'), width: 5 };
    queue.add(wrongSize);
    idle();
    await expect(queue.whenStored([wrongHash.hash])).rejects.toMatchObject({ code: 'internal' });
    await expect(queue.whenStored([wrongSize.hash])).rejects.toMatchObject({ code: 'bad-image', message: expect.stringContaining('4×3 px when decoded on the host, but 5×3 px here') });
    expect(failures.map((f) => f.error.code)).toEqual(['internal', 'bad-image']);
  });

  it('tells subscribers when the pending set changes', async () => {
    const { queue, idle } = setup();
    const seen: number[] = [];
    const off = queue.subscribe(() => seen.push(queue.stats().count));
    queue.add(request('mask F'));
    idle();
    await queue.whenStored();
    off();
    queue.add(request('mask G'));
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(0);
  });
});
