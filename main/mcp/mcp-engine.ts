import { AppError } from '../../preload/contract/index.js';
import { createEmbeddedStageEngine } from '../engine/embedded-stage-engine.js';
import { createHttpStageEngine } from '../engine/http-engine/http-stage-engine.js';
import { nanococoaEngineFor, withLocalStages } from '../engine/nanococoa/index.js';
import { createSimulatedGpu } from '../engine/simulated/simulated-gpu.js';
import type { StageEngine } from '../engine/stage-engine.js';

/** The token of an `adstudio serve` the MCP server drives with --engine <url>. */
export const ENGINE_TOKEN_ENV = 'ADSTUDIO_ENGINE_TOKEN';

export interface McpEngineOptions {
  /** "embedded" (default), an `adstudio serve` URL, or "nanococoa:<url>". */
  spec?: string | undefined;
  /** Where this machine sees the `adstudio serve` workspace when it runs in a container (its bind mount's host side). */
  engineWorkspace?: string | undefined;
  simulateGb?: number | undefined;
  timeScale?: number | undefined;
  env: Record<string, string | undefined>;
  version: string;
}

export interface McpEngine {
  engine: StageEngine;
  /** One line for the log: which engine, where. */
  description: string;
  /** True when another process reads and writes the files (an adstudio serve): intermediates must be where it can reach them. */
  remoteFiles: boolean;
  close(): Promise<void>;
}


/**
 * The engine behind the tools — the same engine code the app and `adstudio serve` use:
 *  - embedded: in this process (CPU, offline);
 *  - http(s)://…: an `adstudio serve` (e.g. the GPU engine container), shared with the app;
 *  - nanococoa:http://…: the seed's nanoCocoa server for backgrounds and lettering, the embedded
 *    engine for everything else;
 *  - embedded with simulateGb: the simulated-VRAM engine (everything it reports says simulated).
 */
export function createMcpEngine(o: McpEngineOptions): McpEngine {
  const spec = o.spec ?? 'embedded';
  if (o.simulateGb !== undefined && spec !== 'embedded') throw new AppError('bad-request', '--simulate-vram only applies to the embedded engine');
  if (spec === 'embedded') {
    const embedded = createEmbeddedStageEngine({ version: o.version });
    if (o.simulateGb === undefined) return { engine: embedded, description: 'embedded (CPU, in this process)', remoteFiles: false, close: () => embedded.close() };
    // What the embedded engine really does, it does: text detection and erasing give real pixels.
    const simulated = createSimulatedGpu({ vramGb: o.simulateGb, timeScale: o.timeScale ?? 0.05, embedded });
    return {
      engine: simulated,
      description: `SIMULATED GPU (${o.simulateGb} GB VRAM budget, times ×${o.timeScale ?? 0.05}); detect_text and erase run for real on the embedded engine`,
      remoteFiles: false,
      close: async () => {
        await simulated.close();
        await embedded.close();
      },
    };
  }
  if (spec.startsWith('nanococoa:')) {
    const url = spec.slice('nanococoa:'.length);
    const remote = nanococoaEngineFor(url);
    const embedded = createEmbeddedStageEngine({ version: o.version });
    const engine = withLocalStages(remote, embedded);
    return { engine, description: `nanoCocoa server at ${remote.baseUrl} (background, render_text) + embedded (the rest)`, remoteFiles: false, close: () => engine.close() };
  }
  if (/^https?:\/\//.test(spec)) {
    const token = o.env[ENGINE_TOKEN_ENV];
    if (!token) throw new AppError('bad-request', `--engine ${spec} needs the engine's access token in ${ENGINE_TOKEN_ENV} (adstudio serve prints it, or set it with --token there)`);
    const engine = createHttpStageEngine({ baseUrl: spec, token, ...(o.engineWorkspace ? { localWorkspace: o.engineWorkspace } : {}) });
    return { engine, description: `adstudio serve at ${spec}`, remoteFiles: true, close: () => engine.close() };
  }
  throw new AppError('bad-request', `--engine must be "embedded", an adstudio serve URL (http://…) or "nanococoa:<url>", not "${spec}"`);
}
