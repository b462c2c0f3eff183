import { AppError } from '../../preload/contract/index.js';
import type { EnginesPort, JobEndpoint } from '../core/engines/engines-port.js';
import { containerStageEngine } from '../engine/container-stage-engine.js';
import type { McpEngine } from './mcp-engine.js';

/** What resolving a profile needs from the engine-container manager (ContainerManager has it all). */
export type ProfileLookup = Pick<EnginesPort, 'refresh' | 'jobEndpoint' | 'jobProfiles'>;

export interface ProfileEngineOptions {
  /** The profile in engines.json or a built-in one (adstudio-engine, nanococoa). */
  name: string;
  /** The app's data folder: engines.json, the engine workspace, the engine logs. */
  dataDir: string;
  version: string;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  /** The manager (default: the app's Docker engine manager over this data folder); closed here when opened here. */
  openEngines?: () => Promise<(ProfileLookup & { close(): Promise<void> }) | undefined>;
}

/**
 * `adstudio mcp --engine profile:<name>`: the engine of a running container profile, found the way the
 * app finds it (the Docker engine manager over the app's data folder: URL, the container's access
 * token, the bound workspace) and built the way the app's "Run jobs on" builds it. The manager is only
 * asked once: the MCP server shares the container, not the app's scheduler or job records.
 */
export async function openProfileEngine(o: ProfileEngineOptions): Promise<McpEngine> {
  const notes: string[] = [];
  const engines = await (o.openEngines ?? (() => dockerEngines(o, notes)))();
  if (!engines) {
    throw new AppError('engine', `engine containers are unavailable (${notes.join('; ') || 'the Docker engine manager could not be set up'}); --engine profile:${o.name} needs Docker`);
  }
  // E.g. a damaged engines.json (the built-in profiles are used then): worth a line on stderr.
  for (const note of notes) o.log(note);
  try {
    const endpoint = await resolveJobEndpoint(engines, o.name);
    return engineForEndpoint(endpoint, o.version);
  } finally {
    await engines.close();
  }
}

/**
 * The running, healthy container of a profile as a job target. Looks at Docker afresh (another
 * process — the app, `adstudio engine start` — started it), and says what to do when it is not there.
 */
export async function resolveJobEndpoint(engines: ProfileLookup, name: string): Promise<JobEndpoint> {
  const profiles = engines.jobProfiles();
  if (!profiles.some((p) => p.profile === name)) {
    // Unknown names get the manager's own "no such profile" message; a generic profile has no job protocol.
    const snap = await engines.refresh(name);
    throw new AppError(
      'bad-request',
      `the ${name} profile's engine (${snap.image}) speaks no protocol adstudio can run jobs on (it only has a health route); ` +
        `--engine profile:<name> takes ${profiles.map((p) => p.profile).join(', ') || 'no profile here'}`,
    );
  }
  const snap = await engines.refresh(name);
  if (snap.state !== 'healthy' || !snap.containerId) {
    const why = snap.error ? `: ${snap.error.message}` : snap.health && !snap.health.ok ? `: ${snap.health.detail}` : '';
    throw new AppError(
      'engine',
      `the ${name} engine is not running and healthy (${snap.state}${why}). Start it with "adstudio engine start --profile ${name}" ` +
        '(or Start in the editor\'s Engines panel), then start adstudio mcp again',
    );
  }
  const endpoint = await engines.jobEndpoint(name);
  if (!endpoint) throw new AppError('engine', `the ${name} engine has no running container any more; start it with "adstudio engine start --profile ${name}"`);
  return endpoint;
}

/**
 * The engine for a container the way the app's scheduler builds it (main/engine/app-schedulers.ts,
 * connectContainerScheduler): the adstudio protocol over the bound workspace, or nanoCocoa for
 * backgrounds and lettering beside the embedded engine for the rest.
 */
export function engineForEndpoint(endpoint: JobEndpoint, version: string): McpEngine {
  const { engine, workspace, url } = containerStageEngine(endpoint, { version });
  const where = `${endpoint.title} (profile ${endpoint.profile}, container ${endpoint.containerId.slice(0, 12)}) at ${url}`;
  if (workspace) return { engine, description: `${where}, workspace ${workspace}`, remoteFiles: true, workspace, close: () => engine.close() };
  return { engine, description: `${where} (background, render_text) + embedded (the rest)`, remoteFiles: false, close: () => engine.close() };
}

/** The app's Docker engine manager over the data folder (dockerode is loaded only for this). */
async function dockerEngines(o: ProfileEngineOptions, notes: string[]) {
  const { createDockerEngines } = await import('../adapters/docker-engines.js');
  return createDockerEngines({ dataDir: o.dataDir, version: o.version, packageRoot: null, env: o.env, log: (m) => notes.push(m) });
}
