import { createNanoCocoaEngine, type NanoCocoaEngine, type NanoCocoaEngineOptions } from './nanococoa-engine.js';

export { createNanoCocoaEngine, LOST_JOB_MESSAGE, memoryOf, type NanoCocoaEngine, type NanoCocoaEngineOptions } from './nanococoa-engine.js';
export { NANOCOCOA_MODELS, NANOCOCOA_STAGES } from './nanococoa-request.js';
export { withLocalStages } from './local-stages.js';

/**
 * The engine for a healthy `nanococoa` container profile (main/core/containers/profiles.ts): give it
 * the URL the container manager reports for that profile (`connection(name).url`, e.g.
 * http://127.0.0.1:8000). The server has no token. Pair it with the embedded engine through
 * withLocalStages() so text detection, erasing and cut-outs still run (adstudio's own stages).
 */
export function nanococoaEngineFor(profileUrl: string, options: Omit<NanoCocoaEngineOptions, 'baseUrl'> = {}): NanoCocoaEngine {
  let url: URL;
  try {
    url = new URL(profileUrl);
  } catch {
    throw new TypeError(`"${profileUrl}" is not a URL of a nanoCocoa server (expected e.g. http://127.0.0.1:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the nanoCocoa server is reached over http(s), not ${url.protocol}`);
  return createNanoCocoaEngine({ ...options, baseUrl: url.origin + url.pathname.replace(/\/+$/, '') });
}
