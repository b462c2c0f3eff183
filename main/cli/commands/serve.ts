import { join, resolve } from 'node:path';
import { acquireJobFolderLock } from '../../core/scheduler/job-folder-lock.js';
import { createFileJobStore } from '../../core/scheduler/job-store.js';
import { createScheduler } from '../../core/scheduler/scheduler.js';
import { defaultDataDir } from '../../core/paths/default-paths.js';
import { createEmbeddedStageEngine } from '../../engine/embedded-stage-engine.js';
import { createSimulatedGpu } from '../../engine/simulated/simulated-gpu.js';
import type { StageEngine } from '../../engine/stage-engine.js';
import { assertUsableToken, generateToken } from '../../server/auth.js';
import { startEngineProtocolServer } from '../../server/engine-protocol/engine-server.js';
import { RECORDS_DIR } from '../../server/engine-protocol/workspace.js';
import { UsageError } from '../cli-io.js';
import { packageVersion } from '../version.js';
import type { CliCommand } from './command.js';

export const DEFAULT_SERVE_PORT = 8765;
/** Where the engine container expects the host's workspace to be bind-mounted. */
export const CONTAINER_WORKSPACE = '/workspace';
/** Simulated load and run times as a share of the declared ones: FLUX's 128 s load takes 6.4 s. */
export const DEFAULT_TIME_SCALE = 0.05;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the engine server: engine protocol v1 over HTTP (token required except for /health)',
  usage: 'adstudio serve [--port N] [--host H] [--token T] [--workspace DIR] [--simulate-vram GB [--time-scale F]]',
  details: [
    'Options:',
    `  --port N            port to listen on (default ${DEFAULT_SERVE_PORT}; 0 = any free port)`,
    '  --host H            address to listen on (default 127.0.0.1; inside a container 0.0.0.0, published',
    '                      on the host\'s 127.0.0.1 only)',
    '  --token T           access token (default $ADSTUDIO_TOKEN, else 32 random bytes printed on stderr);',
    '                      16-256 URL-safe characters',
    '  --workspace DIR     the only folder stage inputs and outputs may be in (default $ADSTUDIO_WORKSPACE;',
    `                      in the engine container ${CONTAINER_WORKSPACE}, where the host's folder is bind-mounted;`,
    '                      else "workspace" in the data folder).',
    `                      Job and stage records are kept in DIR/${RECORDS_DIR}/; one server per workspace`,
    '                      (a second one on the same folder is refused, naming the first).',
    '  --simulate-vram GB  run the simulated-GPU engine with a budget of GB gigabytes instead of the',
    '                      embedded engine: declared model footprints, scaled load and run times; text',
    '                      detection and erasing still run for real. Everything it reports says simulated.',
    `  --time-scale F      with --simulate-vram: simulated times as a share of the declared ones (default`,
    `                      ${DEFAULT_TIME_SCALE}; 1 = real time, e.g. a 128 s FLUX load)`,
    '',
    'Routes (docs/engine-protocol.openapi.yaml describes each):',
    '  GET /health                       liveness, no token: {status, engine, version, simulated}',
    '  GET /v1/health, /v1/capabilities, /v1/models, /v1/memory',
    '  POST /v1/models/{id}/load|unload  explicit model residency',
    '  POST /v1/stages, GET /v1/stages/{runId}, POST /v1/stages/{runId}/cancel',
    '                                    one stage on a resident model (for a scheduler elsewhere)',
    '  POST /v1/jobs, GET /v1/jobs, GET /v1/jobs/{id}, POST /v1/jobs/{id}/cancel|retry',
    '                                    whole jobs, planned by this server\'s VRAM-aware scheduler',
    '  GET /v1/events                    server-sent events (Last-Event-ID replays what was missed)',
    '  GET /v1/files?path=P              a result file inside the workspace',
    'The token goes in "Authorization: Bearer <token>" (or ?token=). Paths are relative to the workspace',
    '(or absolute inside it); anything outside is refused. JSON bodies are limited to 1 MiB.',
    '',
    'Prints one line on stdout, the address (followed by "(simulated …)" with --simulate-vram):',
    '  adstudio serve: http://127.0.0.1:PORT',
    'and serves until Ctrl+C / SIGTERM; then stages still running end as interrupted, and it exits 0.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    workspace: { type: 'string' },
    'simulate-vram': { type: 'string' },
    'time-scale': { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'serve');
    const port = parsePort(values.port);
    const host = stringOption(values.host, 'host') ?? '127.0.0.1';
    const given = stringOption(values.token, 'token') ?? (io.env.ADSTUDIO_TOKEN || undefined);
    const token = given ?? generateToken();
    assertUsableToken(token);
    const workspaceOption = stringOption(values.workspace, 'workspace') ?? (io.env.ADSTUDIO_WORKSPACE || undefined);
    const workspace = workspaceOption ? resolve(io.cwd, workspaceOption) : defaultWorkspace(io.env);
    const simulateGb = parsePositive(values['simulate-vram'], 'simulate-vram', 1024);
    const timeScale = parsePositive(values['time-scale'], 'time-scale', 10);
    if (timeScale !== undefined && simulateGb === undefined) throw new UsageError('--time-scale only applies with --simulate-vram', 'serve');
    const version = packageVersion();
    const log = (line: string) => io.stderr.write(`adstudio serve: ${line}\n`);

    // One server per workspace: a second one would recover and run the same job records.
    const jobsDir = join(workspace, RECORDS_DIR, 'jobs');
    const lock = await acquireJobFolderLock(jobsDir, { purpose: `adstudio serve${port ? ` on ${host}:${port}` : ''}` });

    const embedded = createEmbeddedStageEngine({ version });
    let engine: StageEngine = embedded;
    if (simulateGb !== undefined) {
      // What the embedded engine can really do, it does: erase and text detection give real pixels.
      engine = createSimulatedGpu({ vramGb: simulateGb, timeScale: timeScale ?? DEFAULT_TIME_SCALE, embedded });
    }
    const closeEngines = async () => {
      await engine.close();
      if (engine !== embedded) await embedded.close();
      await lock.release();
    };

    let scheduler: Awaited<ReturnType<typeof createScheduler>>;
    let server: Awaited<ReturnType<typeof startEngineProtocolServer>>;
    try {
      scheduler = await createScheduler({ engine, store: createFileJobStore(jobsDir), log });
      try {
        // The scheduler arbitrates clients' loads, unloads and stage runs with its own jobs (budget, models in use).
        server = await startEngineProtocolServer({ host, port, token, version, engine, scheduler, arbiter: scheduler, workspace, log });
      } catch (e) {
        await scheduler.close();
        throw e;
      }
    } catch (e) {
      await closeEngines();
      throw e;
    }
    const simulatedNote = simulateGb !== undefined ? ` (simulated GPU: ${simulateGb} GB VRAM budget)` : '';
    io.stdout.write(`adstudio serve: ${server.url}${simulatedNote}\n`);
    if (!given) log(`access token ${token} (send "Authorization: Bearer <token>")`);
    log(`workspace ${server.workspaceRoot}`);
    if (simulateGb !== undefined) log(`SIMULATED engine: no GPU is used; load and run times scaled by ${timeScale ?? DEFAULT_TIME_SCALE}`);
    log('press Ctrl+C to stop.');

    await new Promise<void>((resolveStop) => {
      if (signal.aborted) return resolveStop();
      signal.addEventListener('abort', () => resolveStop(), { once: true });
    });
    log('stopping…');
    await server.close();
    await scheduler.close();
    await closeEngines();
    log('stopped');
    return 0;
  },
};

/** In the engine container (the image sets ADSTUDIO_IN_CONTAINER=1) the bind mount's conventional place; else the data folder. */
export function defaultWorkspace(env: Record<string, string | undefined>): string {
  if (env.ADSTUDIO_IN_CONTAINER === '1') return CONTAINER_WORKSPACE;
  return join(defaultDataDir({ env }), 'workspace');
}

function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`option --${name} needs a value`, 'serve');
  return value;
}

function parsePort(value: unknown): number {
  const text = stringOption(value, 'port');
  if (text === undefined) return DEFAULT_SERVE_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`, 'serve');
  return Number(text);
}

function parsePositive(value: unknown, name: string, max: number): number | undefined {
  const text = stringOption(value, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n > 0) || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max}, got "${text}"`, 'serve');
  return n;
}
