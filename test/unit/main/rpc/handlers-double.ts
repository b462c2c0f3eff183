import { createHash } from 'node:crypto';
import { AppError, INVOKE_NAMES } from '../../../../preload/contract/index.js';
import type { AppInfo, AssetInfo, EventName, EventPayload, EventSink, Handlers } from '../../../../preload/contract/index.js';
import type { Services } from '../../../../main/core/services-types.js';

export const APP_INFO_DOUBLE: AppInfo = { version: '9.9.9-test', mode: 'browser', osLocale: 'ko-KR', platform: 'linux', projectsDir: '/tmp/projects' };

/**
 * A Handlers test double: every channel rejects with 'unsupported' unless overridden; getAppInfo and
 * putAsset behave like the real ones in shape (putAsset hashes the bytes it received).
 */
export function createHandlersDouble(overrides: Partial<Handlers> = {}): Handlers {
  const base = Object.fromEntries(
    INVOKE_NAMES.map((name) => [name, async () => { throw new AppError('unsupported', `${name} is not part of this test double`); }]),
  ) as unknown as Handlers;
  return {
    ...base,
    getAppInfo: async () => APP_INFO_DOUBLE,
    putAsset: async ({ kind, bytes }): Promise<AssetInfo> => ({
      hash: createHash('sha256').update(bytes).digest('hex'),
      kind,
      mime: 'image/png',
      width: 1,
      height: 1,
      bytes: bytes.byteLength,
    }),
    ...overrides,
  };
}

/** A Services test double around a Handlers double, with an emit() to push events like the job runner. */
export function createServicesDouble(handlers: Handlers = createHandlersDouble(), assets: Record<string, { path: string; mime: string }> = {}) {
  const sinks = new Set<EventSink>();
  const services: Pick<Services, 'handlers' | 'onEvent' | 'assetFile'> = {
    handlers,
    onEvent(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    assetFile: async (hash) => assets[hash] ?? null,
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const sink of sinks) sink(event, payload);
  };
  return { services, emit, subscriberCount: () => sinks.size };
}
