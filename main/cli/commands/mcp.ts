import { delimiter, join, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { acquireHostLock, type HeldLock } from '../../core/containers/host-lock.js';
import { defaultDataDir } from '../../core/paths/default-paths.js';
import { createFileJobStore, createMemoryJobStore, type JobStore } from '../../core/scheduler/job-store.js';
import { createScheduler } from '../../core/scheduler/scheduler.js';
import { ENGINE_TOKEN_ENV, foldersOutside, openMcpEngine } from '../../mcp/mcp-engine.js';
import { startMcpHttpServer } from '../../mcp/mcp-http.js';
import { ALLOWED_ROOTS_ENV, allowedRootsFrom } from '../../mcp/mcp-roots.js';
import { createAdstudioMcpServer } from '../../mcp/mcp-server.js';
import { serveStdio } from '../../mcp/mcp-stdio.js';
import { PathGuard } from '../../mcp/path-guard.js';
import { assertUsableToken, generateToken } from '../../server/auth.js';
import { UsageError } from '../cli-io.js';
import { packageVersion } from '../version.js';
import type { CliCommand } from './command.js';

export const DEFAULT_MCP_PORT = 8766;

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'run the MCP server: adstudio\'s tools for AI agents, over file paths (stdio; or HTTP with a token)',
  usage: 'adstudio mcp --allow <dir> [--allow <dir> ...] [--http [--port N] [--host H] [--token T]] [--engine embedded|profile:<name>|<url>|nanococoa:<url>] [--data-dir D] [--jobs-dir D]',
  details: [
    'Tools: detect_text, erase_text, cutout, generate_background, compose_ad, job_status, cancel_job, list_fonts,',
    'engine_status. Images go in and out as absolute file paths inside the allowed folders; no tool returns',
    'image data. Long work runs as jobs on this server\'s own scheduler; with --engine profile:<name> it shares',
    'the app\'s engine container (not the app\'s scheduler or job records).',
    '',
    'Options:',
    `  --allow DIR         a folder tools may read and write (repeatable); also $${ALLOWED_ROOTS_ENV}, a path`,
    '                      list (":"-separated; ";" on Windows). At least one is required.',
    '  --http              serve streamable HTTP instead of stdio, at http://HOST:PORT/mcp',
    `  --port N            with --http (default ${DEFAULT_MCP_PORT}; 0 = any free port)`,
    '  --host H            with --http (default 127.0.0.1)',
    '  --token T           with --http: the access token (default $ADSTUDIO_MCP_TOKEN, else 32 random bytes',
    '                      printed on stderr); clients send "Authorization: Bearer <token>"',
    '  --engine E          embedded (default, CPU, in this process); profile:<name>, a running engine container',
    '                      the app manages (adstudio-engine, nanococoa or a custom profile: its URL, access token',
    '                      and workspace are read through Docker; start it first with adstudio engine start); an',
    `                      adstudio serve URL such as http://127.0.0.1:8765 (token in $${ENGINE_TOKEN_ENV}); or`,
    '                      nanococoa:http://127.0.0.1:8000 (the seed\'s GPU server for backgrounds and lettering,',
    '                      embedded for the rest)',
    '  --engine-workspace DIR  with an adstudio serve URL in a container: where this machine sees its workspace',
    '  --data-dir D        the app\'s data folder, for profile:<name> and the default --jobs-dir (default',
    '                      $ADSTUDIO_HOME, else the desktop app\'s folder)',
    '  --jobs-dir D        durable job records (default <data dir>/mcp/jobs); intermediate files in D/work',
    '                      (with an engine in a container: in its workspace, which the allowed folders must be in)',
    '  --simulate-vram GB  the simulated-GPU engine (for trying the queue without a GPU; says "simulated")',
    '  --time-scale F      with --simulate-vram: simulated times as a share of the declared ones (default 0.05)',
    '',
    'On stdio, stdout carries only MCP messages; logs go to stderr. See docs/mcp.md for client configuration.',
  ].join('\n'),
  options: {
    allow: { type: 'string', multiple: true },
    http: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    engine: { type: 'string' },
    'engine-workspace': { type: 'string' },
    'data-dir': { type: 'string' },
    'jobs-dir': { type: 'string' },
    'simulate-vram': { type: 'string' },
    'time-scale': { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'mcp');
    const http = values.http === true;
    for (const name of ['port', 'host', 'token'] as const) {
      if (values[name] !== undefined && !http) throw new UsageError(`--${name} only applies with --http`, 'mcp');
    }
    const allow = (Array.isArray(values.allow) ? values.allow : []).map(String);
    const simulateGb = positive(values['simulate-vram'], 'simulate-vram', 1024);
    const timeScale = positive(values['time-scale'], 'time-scale', 10);
    if (timeScale !== undefined && simulateGb === undefined) throw new UsageError('--time-scale only applies with --simulate-vram', 'mcp');
    const log = (line: string) => io.stderr.write(`adstudio mcp: ${line}\n`);
    const version = packageVersion();

    if (allow.length === 0 && !(io.env[ALLOWED_ROOTS_ENV] ?? '').split(delimiter).some((p) => p.trim() !== '')) {
      throw new UsageError(`tell it which folders its tools may use: --allow <dir> (repeatable) or $${ALLOWED_ROOTS_ENV}`, 'mcp');
    }
    const roots = await allowedRootsFrom(allow, io.env, io.cwd);
    const dataDirOption = text(values['data-dir'], 'data-dir');
    const dataDir = dataDirOption ? resolve(io.cwd, dataDirOption) : defaultDataDir({ env: io.env });
    const jobsDir = resolve(io.cwd, text(values['jobs-dir'], 'jobs-dir') ?? join(dataDir, 'mcp', 'jobs'));
    const engineWorkspace = text(values['engine-workspace'], 'engine-workspace');
    const chosen = await openMcpEngine({
      spec: text(values.engine, 'engine'),
      engineWorkspace: engineWorkspace ? resolve(io.cwd, engineWorkspace) : undefined,
      simulateGb,
      timeScale,
      env: io.env,
      version,
      dataDir,
      log,
    });
    if (chosen.workspace) {
      // The engine sees only its workspace: a file elsewhere would fail at the first tool call.
      const outside = await foldersOutside(chosen.workspace, roots.list());
      if (outside.length) {
        await chosen.close();
        throw new AppError(
          'bad-request',
          `the engine reads and writes only inside its workspace ${chosen.workspace}; allowed folder${outside.length > 1 ? 's' : ''} ${outside.join(', ')} ` +
            `${outside.length > 1 ? 'are' : 'is'} outside it. Allow a folder inside it instead (e.g. --allow ${join(chosen.workspace, 'ads')})`,
        );
      }
    }

    // One process owns a jobs folder: a second one (another client's) would pick up the first one's jobs.
    let lock: HeldLock | null = null;
    let store: JobStore;
    try {
      lock = await acquireHostLock(join(jobsDir, '.lock'), 'adstudio mcp', { waitMs: 0, staleMs: Number.POSITIVE_INFINITY });
      store = createFileJobStore(jobsDir);
    } catch {
      log(`another adstudio mcp uses ${jobsDir}; this one keeps its jobs in memory (give it its own --jobs-dir to make them durable)`);
      store = createMemoryJobStore();
    }
    // Intermediate files (a detected mask on its way to the erase): beside the job records, or — when an
    // adstudio serve elsewhere does the work — in a folder it can reach too.
    const workRoot = chosen.remoteFiles ? join(chosen.workspace ?? (roots.list()[0] as string), '.adstudio-mcp-work') : join(jobsDir, 'work');

    let scheduler: Awaited<ReturnType<typeof createScheduler>>;
    try {
      scheduler = await createScheduler({ engine: chosen.engine, store, log });
    } catch (e) {
      await chosen.close();
      await lock?.release();
      throw e;
    }
    const ctx = { engine: chosen.engine, scheduler, paths: new PathGuard(roots), workRoot, version, log };
    log(`engine: ${chosen.description}`);
    log(`allowed folders: ${roots.list().join(', ')}`);
    log(`jobs: ${store.location}`);

    try {
      if (http) {
        const port = portOf(values.port);
        const host = text(values.host, 'host') ?? '127.0.0.1';
        const given = text(values.token, 'token') ?? (io.env.ADSTUDIO_MCP_TOKEN || undefined);
        const token = given ?? generateToken();
        assertUsableToken(token);
        const server = await startMcpHttpServer({ host, port, token, newServer: () => createAdstudioMcpServer(ctx), log });
        io.stdout.write(`adstudio mcp: ${server.url}\n`);
        if (!given) log(`access token ${token} (send "Authorization: Bearer <token>")`);
        if (!['127.0.0.1', 'localhost', '::1'].includes(host)) log(`WARNING: listening on ${host}, not only this machine; anyone with the token can use the allowed folders`);
        await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
        await server.close();
      } else {
        log('serving MCP on stdio');
        await serveStdio(createAdstudioMcpServer(ctx), signal);
      }
    } finally {
      log('stopping…');
      await scheduler.close();
      await chosen.close();
      await lock?.release();
    }
    return 0;
  },
};

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`option --${name} needs a value`, 'mcp');
  return value;
}

function portOf(value: unknown): number {
  const t = text(value, 'port');
  if (t === undefined) return DEFAULT_MCP_PORT;
  if (!/^\d{1,5}$/.test(t) || Number(t) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, got "${t}"`, 'mcp');
  return Number(t);
}

function positive(value: unknown, name: string, max: number): number | undefined {
  const t = text(value, name);
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!/^\d*\.?\d+$/.test(t) || !(n > 0) || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max}, got "${t}"`, 'mcp');
  return n;
}
