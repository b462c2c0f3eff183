import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { AppError } from '../../preload/contract/index.js';
import { createEmbeddedStageEngine } from '../engine/embedded-stage-engine.js';
import { createHttpStageEngine } from '../engine/http-engine/http-stage-engine.js';
import { nanococoaEngineFor, withLocalStages } from '../engine/nanococoa/index.js';
import { createSimulatedGpu } from '../engine/simulated/simulated-gpu.js';
import type { StageEngine } from '../engine/stage-engine.js';
import { openProfileEngine, type ProfileEngineOptions } from './profile-engine.js';

/** The token of an `adstudio serve` the MCP server drives with --engine <url>. */
export const ENGINE_TOKEN_ENV = 'ADSTUDIO_ENGINE_TOKEN';

/** How `--engine profile:<name>` names a container profile. */
export const PROFILE_PREFIX = 'profile:';

export interface McpEngineOptions {
  /** "embedded" (default), an `adstudio serve` URL, "nanococoa:<url>" (or "profile:<name>", through openMcpEngine). */
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
  /**
   * Where the engine reads and writes files, as this machine sees them (a container's bound workspace):
   * the intermediates go there, and the allowed folders must be inside it. Unknown when absent.
   */
  workspace?: string;
  close(): Promise<void>;
}

/**
 * createMcpEngine, plus "profile:<name>": a running container profile resolved through the app's
 * Docker engine manager (its URL, access token and workspace) — no token to copy by hand.
 */
export async function openMcpEngine(o: McpEngineOptions & { dataDir: string; log: (line: string) => void; openEngines?: ProfileEngineOptions['openEngines'] }): Promise<McpEngine> {
  const spec = o.spec ?? 'embedded';
  if (!spec.startsWith(PROFILE_PREFIX)) return createMcpEngine(o);
  const name = spec.slice(PROFILE_PREFIX.length);
  if (!name) throw new AppError('bad-request', '--engine profile:<name> needs the profile\'s name, e.g. profile:adstudio-engine (see adstudio engine status)');
  if (o.simulateGb !== undefined) throw new AppError('bad-request', '--simulate-vram only applies to the embedded engine');
  if (o.engineWorkspace) throw new AppError('bad-request', '--engine-workspace does not apply to profile:<name>: the profile says where its workspace is');
  return openProfileEngine({ name, dataDir: o.dataDir, version: o.version, env: o.env, log: o.log, ...(o.openEngines ? { openEngines: o.openEngines } : {}) });
}

/** Allowed folders the engine cannot reach: outside its workspace (compared by real path). */
export async function foldersOutside(workspace: string, folders: readonly string[]): Promise<string[]> {
  const root = await realpath(workspace).catch(() => workspace);
  const outside: string[] = [];
  for (const folder of folders) {
    const real = await realpath(folder).catch(() => folder);
    const rel = relative(root, real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) outside.push(folder);
  }
  return outside;
}


/**
 * The engine behind the tools — the same engine code the app and `adstudio serve` use:
 *  - embedded: in this process (CPU, offline);
 *  - http(s)://…: an `adstudio serve` (e.g. the GPU engine container), shared with the app;
 *  - nanococoa:http://…: the seed's nanoCocoa server for backgrounds and lettering, the embedded
 *    engine for everything else;
 *  - embedded with simulateGb: the simulated-VRAM engine (everything it reports says simulated).
 * "profile:<name>" (a container the app manages) goes through openMcpEngine.
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
    return { engine, description: `adstudio serve at ${spec}`, remoteFiles: true, ...(o.engineWorkspace ? { workspace: o.engineWorkspace } : {}), close: () => engine.close() };
  }
  if (spec.startsWith(PROFILE_PREFIX)) throw new AppError('bad-request', 'profile:<name> engines are opened with openMcpEngine (they need the app\'s data folder)');
  throw new AppError('bad-request', `--engine must be "embedded", an adstudio serve URL (http://…), "nanococoa:<url>" or "profile:<name>", not "${spec}"`);
}
