import { AppError } from '../../preload/contract/index.js';
import type { JobEndpoint } from '../core/engines/engines-port.js';
import { createEmbeddedStageEngine } from './embedded-stage-engine.js';
import { createHttpStageEngine } from './http-engine/http-stage-engine.js';
import type { InpaintEngine } from './inpaint-engine.js';
import { nanococoaEngineFor, withLocalStages } from './nanococoa/index.js';
import type { StageEngine } from './stage-engine.js';

export interface ContainerStageEngine {
  engine: StageEngine;
  /** The adstudio engine's workspace on this machine (stage files live there); null for nanoCocoa. */
  workspace: string | null;
  /** Where the remote stages go, for a log line. */
  url: string;
}

/**
 * The StageEngine for a healthy engine container, the one choice the app ("Run jobs on") and
 * `adstudio mcp --engine profile:<name>` share: the adstudio protocol over the bound workspace with the
 * container's token, or nanoCocoa for backgrounds and lettering beside the embedded engine.
 */
export function containerStageEngine(endpoint: JobEndpoint, o: { version: string; inpaint?: InpaintEngine }): ContainerStageEngine {
  if (endpoint.protocol === 'adstudio-v1') {
    if (!endpoint.token) {
      throw new AppError('engine', `the ${endpoint.profile} container was started without an access token (ADSTUDIO_TOKEN); restart it ("adstudio engine stop --profile ${endpoint.profile}", then start)`);
    }
    if (!endpoint.workspace) throw new AppError('engine', `the ${endpoint.profile} profile binds no workspace folder, so adstudio cannot hand it files`);
    const workspace = endpoint.workspace.hostPath;
    return { engine: createHttpStageEngine({ baseUrl: endpoint.url, token: endpoint.token, localWorkspace: workspace }), workspace, url: endpoint.url };
  }
  const remote = nanococoaEngineFor(endpoint.url);
  const embedded = createEmbeddedStageEngine({ version: o.version, ...(o.inpaint ? { inpaint: o.inpaint } : {}) });
  return { engine: withLocalStages(remote, embedded), workspace: null, url: remote.baseUrl };
}
