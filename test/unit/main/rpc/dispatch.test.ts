import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../preload/contract/index.js';
import { dispatch } from '../../../../main/core/rpc/dispatch.js';
import { APP_INFO_DOUBLE, createHandlersDouble } from './handlers-double.js';

const hash = 'a'.repeat(64);

describe('dispatch', () => {
  it('calls the handler with the parsed request and wraps its value', async () => {
    const handlers = createHandlersDouble({ getAssetInfo: async ({ hash: h }) => ({ hash: h, kind: 'image', mime: 'image/png', width: 2, height: 3, bytes: 10 }) });
    expect(await dispatch(handlers, 'getAppInfo', undefined)).toEqual({ ok: true, value: APP_INFO_DOUBLE });
    expect(await dispatch(handlers, 'getAssetInfo', { hash })).toMatchObject({ ok: true, value: { hash, width: 2 } });
  });

  it('rejects unknown channels, including prototype keys and non-strings, as bad-request', async () => {
    const handlers = createHandlersDouble();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 42, null, {}]) {
      const result = await dispatch(handlers, name as string, undefined);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('bad-request');
    }
  });

  it('turns every kind of malformed payload into bad-request naming the failing field, never throwing', async () => {
    let called = 0;
    const handlers = createHandlersDouble({ putAsset: async () => { called++; throw new Error('must not be reached'); } });
    const cyclic: Record<string, unknown> = { kind: 'image' };
    cyclic.self = cyclic;
    const cases: Array<[string, unknown, RegExp]> = [
      ['putAsset', undefined, /putAsset/],
      ['putAsset', null, /putAsset/],
      ['putAsset', 'image', /putAsset/],
      ['putAsset', 17, /putAsset/],
      ['putAsset', [], /putAsset/],
      ['putAsset', { kind: 'image' }, /bytes/],
      ['putAsset', { kind: 'video', bytes: new Uint8Array(1) }, /kind/],
      ['putAsset', { kind: 'image', bytes: [1, 2, 3] }, /bytes/],
      ['putAsset', { kind: 'image', bytes: { $bytes: 0 } }, /bytes/],
      ['putAsset', { kind: 'image', bytes: new Uint8Array(1), name: 'x'.repeat(300) }, /name/],
      ['putAsset', cyclic, /bytes/],
      ['getAssetInfo', { hash: '../../etc/passwd' }, /hash/],
      ['getAppInfo', { unexpected: true }, /getAppInfo/],
      ['getAppInfo', null, /getAppInfo/],
      ['updateSettings', { maskOpacity: 7 }, /maskOpacity/],
      ['startInpaint', { image: hash, mask: hash, method: 'm'.repeat(65) }, /method/],
    ];
    for (const [channel, payload, field] of cases) {
      const result = await dispatch(handlers, channel, payload);
      expect(result, `${channel} ${JSON.stringify(payload, (_k, v: unknown) => (v === cyclic && _k ? '[cyclic]' : v))}`).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      if (!result.ok) expect(result.error.message).toMatch(field);
    }
    expect(called).toBe(0);
  });

  it('passes an AppError through with its code and message', async () => {
    const handlers = createHandlersDouble({ getAssetInfo: async () => { throw new AppError('not-found', 'That image is no longer in the asset store.'); } });
    expect(await dispatch(handlers, 'getAssetInfo', { hash })).toEqual({ ok: false, error: { code: 'not-found', message: 'That image is no longer in the asset store.' } });
  });

  it('treats an AppError-shaped error from another copy of the class as an AppError', async () => {
    const foreign = Object.assign(new Error('disk full'), { name: 'AppError', code: 'io' });
    const handlers = createHandlersDouble({ getAssetInfo: async () => { throw foreign; } });
    expect(await dispatch(handlers, 'getAssetInfo', { hash })).toEqual({ ok: false, error: { code: 'io', message: 'disk full' } });
  });

  it('hides unexpected errors behind a generic internal error and logs the stack', async () => {
    const logged: string[] = [];
    const secret = new TypeError('cannot read properties of undefined (reading "/home/user/secret")');
    const handlers = createHandlersDouble({ getAssetInfo: async () => { throw secret; } });
    const result = await dispatch(handlers, 'getAssetInfo', { hash }, (m) => logged.push(m));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).not.toContain('secret');
      expect(result.error.message).not.toContain('TypeError');
    }
    expect(logged.join('\n')).toContain(secret.stack);
  });

  it('also survives handlers that throw non-errors or are missing', async () => {
    const logged: string[] = [];
    const handlers = createHandlersDouble({ getAssetInfo: () => Promise.reject('a string') });
    delete (handlers as Partial<typeof handlers>).listProjects;
    expect(await dispatch(handlers, 'getAssetInfo', { hash }, (m) => logged.push(m))).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await dispatch(handlers, 'listProjects', undefined, (m) => logged.push(m))).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).toHaveLength(2);
  });
});
