import { describe, expect, expectTypeOf, it } from 'vitest';
import { EVENT_NAMES, INVOKE_NAMES, CHANNEL_PREFIX, invokeChannels } from '../../../../preload/contract/index.js';
import type { AdstudioApi, AppInfo, EventName, Handlers, InvokeName, RequestOf, ResponseOf, Result } from '../../../../preload/contract/index.js';
import { CHANNEL_PREFIX as NAMES_PREFIX, EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../../../../preload/contract/names.js';

/*
 * Keeps the three views of the contract in sync: the channel map (zod), the main-side Handlers
 * table and the renderer-side AdstudioApi. The expectTypeOf lines are checked by `npm run typecheck`
 * (tsconfig.node.json includes test/**); the runtime lines by vitest.
 */
describe('IPC contract stays in sync', () => {
  it('Handlers and AdstudioApi have exactly one entry per invoke channel', () => {
    expectTypeOf<keyof Handlers>().toEqualTypeOf<InvokeName>();
    expectTypeOf<Exclude<keyof AdstudioApi, 'on'>>().toEqualTypeOf<InvokeName>();
    expectTypeOf<(typeof INVOKE_CHANNEL_NAMES)[number]>().toEqualTypeOf<InvokeName>();
    expectTypeOf<(typeof EVENT_CHANNEL_NAMES)[number]>().toEqualTypeOf<EventName>();
  });

  it('renderer functions take the request type and resolve to a Result of the response type', () => {
    expectTypeOf<AdstudioApi['getAppInfo']>().toEqualTypeOf<() => Promise<Result<AppInfo>>>();
    expectTypeOf<Parameters<AdstudioApi['putAsset']>[0]>().toEqualTypeOf<RequestOf<'putAsset'>>();
    expectTypeOf<ReturnType<AdstudioApi['exportImage']>>().toEqualTypeOf<Promise<Result<ResponseOf<'exportImage'>>>>();
    expectTypeOf<ReturnType<Handlers['exportImage']>>().toEqualTypeOf<Promise<ResponseOf<'exportImage'>>>();
    expectTypeOf<Parameters<Handlers['putAsset']>[0]['bytes']>().toExtend<Uint8Array>();
  });

  it('the name lists used by the preload and the bridge match the channel map at runtime', () => {
    expect([...INVOKE_CHANNEL_NAMES].sort()).toEqual([...INVOKE_NAMES].sort());
    expect([...EVENT_CHANNEL_NAMES].sort()).toEqual([...EVENT_NAMES].sort());
    expect(NAMES_PREFIX).toBe(CHANNEL_PREFIX);
    expect(Object.keys(invokeChannels)).toHaveLength(INVOKE_CHANNEL_NAMES.length);
  });
});
