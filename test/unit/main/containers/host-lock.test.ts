import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireHostLock } from '../../../../main/core/containers/host-lock.js';

describe('host lock', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const lockFile = () => {
    const d = mkdtempSync(join(tmpdir(), 'adstudio-lock-'));
    dirs.push(d);
    return join(d, 'engines', 'containers.lock');
  };

  it('lets one holder in at a time; the second gets in once the first releases', async () => {
    const file = lockFile();
    const order: string[] = [];
    const a = await acquireHostLock(file, 'a');
    const second = acquireHostLock(file, 'b', { pollMs: 10 }).then((l) => {
      order.push('b in');
      return l;
    });
    await new Promise((r) => setTimeout(r, 60));
    order.push('a out');
    await a.release();
    await (await second).release();
    expect(order).toEqual(['a out', 'b in']);
  });

  it('takes over a lock whose process is gone', async () => {
    const file = lockFile();
    await acquireHostLock(file, 'setup').then((l) => l.release());
    writeFileSync(file, JSON.stringify({ pid: 999_999_999, host: hostname(), since: Date.now(), purpose: 'crashed' }));
    const l = await acquireHostLock(file, 'me', { waitMs: 200 });
    expect(JSON.parse(readFileSync(file, 'utf8')).purpose).toBe('me');
    await l.release();
  });

  it('says who holds it when a live holder does not let go in time', async () => {
    const file = lockFile();
    const held = await acquireHostLock(file, 'start demo');
    await expect(acquireHostLock(file, 'other', { waitMs: 150, pollMs: 20 })).rejects.toThrow(new RegExp(`process ${process.pid} on .* \\(start demo\\)`));
    await held.release();
  });
});
