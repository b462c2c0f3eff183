import { join } from 'node:path';
import { resolveServicePaths } from '../../../../../main/core/paths/default-paths.js';
import { createServices } from '../../../../../main/core/services.js';
import type { Services, ServicesOptions } from '../../../../../main/core/services-types.js';
import { eventLog } from './event-log.js';
import { meanFillTestEngine } from './mean-fill-test-engine.js';

/**
 * Services as the browser-mode editor builds them on `dir` (<dir>/data, <dir>/projects), with the
 * mean-fill erase engine unless `extra` says otherwise.
 */
export function servicesIn(dir: string, extra: Partial<ServicesOptions> = {}): Promise<Services> {
  return createServices({
    mode: 'browser',
    version: '0.1.0-test',
    osLocale: 'ko-KR',
    paths: resolveServicePaths(join(dir, 'data'), join(dir, 'projects')),
    inpaintEngine: meanFillTestEngine(),
    ...extra,
  });
}

/** servicesIn on fresh temp folders, with every event recorded in `log`. */
export async function servicesInTemp(tempDir: () => Promise<string>, extra: Partial<ServicesOptions> = {}) {
  const dir = await tempDir();
  const services = await servicesIn(dir, extra);
  const log = eventLog();
  services.onEvent(log.sink);
  return { dir, services, h: services.handlers, log };
}
