import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { createDockerEngines } from '../../adapters/docker-engines.js';
import { defaultDataDir, defaultProjectsDir, resolveServicePaths } from '../../core/paths/default-paths.js';
import { bundleDirOf, packageRootOf } from '../../core/paths/package-location.js';
import { openServicesModelStore } from '../../core/models/model-handlers.js';
import { createServices } from '../../core/services.js';
import { createAppJobs, createEmbeddedScheduler, createSimulatedScheduler } from '../../engine/app-schedulers.js';
import { createEmbeddedInpaintEngine } from '../../engine/embedded-inpaint-engine.js';
import { createTextDetector } from '../../engine/detect-text/index.js';
import { createTextReader } from '../../engine/read-text/index.js';
import { downloadUrlFor } from '../../server/downloads.js';
import { startEditorServer } from '../../server/editor-server.js';
import { readEditorSession, writeEditorSession } from '../../server/editor-session-file.js';
import { UsageError } from '../cli-io.js';
import type { CliCommand } from './command.js';

export const editorCommand: CliCommand = {
  name: 'editor',
  summary: 'serve the editor in your browser (127.0.0.1, access token required)',
  usage: 'adstudio editor [--port N] [--host H] [--token T] [--data-dir D] [--projects-dir P]',
  details: [
    'Options:',
    '  --port N           port to listen on (default: the last one used, else any free port;',
    '                     0 = any free port)',
    '  --host H           address to listen on (default 127.0.0.1; anything else is reachable from',
    '                     other machines: anyone with the link can use the editor)',
    '  --token T          access token (default: the last one used, else 32 random bytes, kept',
    '                     in the data folder with mode 0600); 16-256 URL-safe characters',
    '  --data-dir D       settings, assets, recovery and exports (default: the desktop app\'s folder,',
    '                     or $ADSTUDIO_HOME)',
    '  --projects-dir P   where projects are saved (default ~/Documents/adstudio or $ADSTUDIO_PROJECTS)',
    '',
    'Environment (tests and demos): ADSTUDIO_SIMULATE_VRAM_GB=GB runs a job scheduler over the',
    '  SIMULATED-VRAM engine for the Jobs panel (no GPU is used; every report says simulated; job',
    '  records in <data dir>/jobs-simulated); ADSTUDIO_SIMULATE_TIME_SCALE=F scales its times (default 0.05).',
    '',
    'Prints exactly one line on stdout, the address to open:',
    '  adstudio editor: http://127.0.0.1:PORT/?token=TOKEN',
    'and serves until Ctrl+C / SIGTERM. Notes go to stderr.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'data-dir': { type: 'string' },
    'projects-dir': { type: 'string' },
  },

  async run({ positionals, values, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'editor');
    const portOption = values.port === undefined ? undefined : parsePort(values.port);
    const host = stringOption(values.host, 'host') ?? '127.0.0.1';
    const token = stringOption(values.token, 'token');
    const dataDirOption = stringOption(values['data-dir'], 'data-dir');
    const projectsDirOption = stringOption(values['projects-dir'], 'projects-dir');

    const staticDir = join(packageRoot(), 'dist', 'renderer');
    if (!existsSync(join(staticDir, 'index.html'))) {
      throw new AppError('not-found', `the editor's web files are missing (${join(staticDir, 'index.html')}); run "npm run build" first`);
    }
    const dataDir = dataDirOption ? resolve(io.cwd, dataDirOption) : defaultDataDir({ env: io.env });
    const projectsDir = projectsDirOption ? resolve(io.cwd, projectsDirOption) : defaultProjectsDir({ env: io.env });
    const paths = resolveServicePaths(dataDir, projectsDir);
    const simulation = simulationFromEnv(io.env);
    const inpaintEngine = createEmbeddedInpaintEngine();
    const log = (m: string) => io.stderr.write(`adstudio editor: jobs: ${m}\n`);
    const schedulerOptions = { dataDir, version: packageVersion(), inpaint: inpaintEngine, log };
    // Docker engines for the Engines panel; a daemon that is down shows there, never blocks startup.
    const engines = await createDockerEngines({
      dataDir,
      version: packageVersion(),
      packageRoot: packageRoot(),
      ...(bundleDir() ? { distDir: bundleDir()! } : {}),
      env: io.env,
      log: (m) => io.stderr.write(`adstudio editor: ${m}\n`),
    });
    // The stage scheduler: the editor's erases are its interactive jobs (Jobs panel); a container
    // engine chosen in the Engines panel ("Run jobs on") takes new jobs while it is healthy.
    const base = simulation ? await createSimulatedScheduler({ ...schedulerOptions, ...simulation }) : await createEmbeddedScheduler(schedulerOptions);
    const { scheduler, jobEngine } = await createAppJobs({ ...schedulerOptions, engines, base });
    if (simulation) {
      io.stderr.write(
        `adstudio editor: SIMULATED GPU for the Jobs panel: ${simulation.vramGb} GB VRAM budget, times × ${simulation.timeScale} (ADSTUDIO_SIMULATE_VRAM_GB); no GPU is used\n`,
      );
    }

    const services = await createServices({
      mode: 'browser',
      version: packageVersion(),
      osLocale: osLocale(io.env),
      paths,
      downloadUrl: downloadUrlFor(paths.exportsDir),
      inpaintEngine,
      scheduler,
      jobEngine,
      models: openServicesModelStore(io.env, (m) => io.stderr.write(`adstudio editor: ${m}\n`)),
      // Loads its model in a worker on first use; closed (worker drained first) by services.dispose().
      textDetector: createTextDetector(),
      // Tesseract starts on the first detection (kor+eng data from the npm packages, offline).
      textReader: createTextReader(),
      ...(engines ? { engines } : {}),
    }).catch(async (e: unknown) => {
      // The scheduler would otherwise keep the process alive with its timers.
      await jobEngine.close();
      await scheduler.scheduler.close();
      await scheduler.close?.();
      await engines?.close();
      throw e;
    });
    // Without --port/--token, reuse the last port and token so an open tab reconnects after a restart.
    const remembered = await readEditorSession(dataDir);
    const start = (port: number) =>
      startEditorServer({
        services,
        staticDir,
        exportsDir: paths.exportsDir,
        host,
        port,
        ...((token ?? remembered?.token) !== undefined ? { token: token ?? remembered?.token } : {}),
        log: (line) => io.stderr.write(`${line}\n`),
      });
    let server;
    try {
      if (portOption === undefined && remembered) {
        server = await start(remembered.port).catch((e: unknown) => {
          io.stderr.write(`adstudio editor: last port ${remembered.port} is taken; using another (open tabs must use the new link)\n`);
          if (e instanceof AppError) return start(0);
          throw e;
        });
      } else {
        server = await start(portOption ?? 0);
      }
      await writeEditorSession(dataDir, { port: server.port, token: server.token }).catch((e: unknown) =>
        io.stderr.write(`adstudio editor: could not remember the session (${(e as Error).message})\n`),
      );
    } catch (e) {
      await services.dispose();
      throw e;
    }

    // The one stdout line: scripts and `npm start` read the URL from here.
    io.stdout.write(`adstudio editor: ${server.url}\n`);
    io.stderr.write(`adstudio editor: data in ${dataDir}; projects in ${projectsDir}. Press Ctrl+C to stop.\n`);

    await new Promise<void>((resolveStop) => {
      if (signal.aborted) return resolveStop();
      signal.addEventListener('abort', () => resolveStop(), { once: true });
    });
    io.stderr.write('adstudio editor: stopping…\n');
    await server.close();
    await services.dispose();
    return 0;
  },
};

/** The simulated-VRAM scheduler's settings, from the environment (a hidden option for tests and demos). */
interface Simulation {
  vramGb: number;
  timeScale: number;
}

function simulationFromEnv(env: Record<string, string | undefined>): Simulation | null {
  const gb = env.ADSTUDIO_SIMULATE_VRAM_GB;
  if (gb === undefined || gb === '') return null;
  const number = (text: string, name: string, max: number) => {
    const n = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0) || n > max) throw new UsageError(`${name} must be a number above 0 and at most ${max}, got "${text}"`, 'editor');
    return n;
  };
  const scale = env.ADSTUDIO_SIMULATE_TIME_SCALE;
  return { vramGb: number(gb, 'ADSTUDIO_SIMULATE_VRAM_GB', 1024), timeScale: scale ? number(scale, 'ADSTUDIO_SIMULATE_TIME_SCALE', 10) : 0.05 };
}

function stringOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`option --${name} needs a value`, 'editor');
  return value;
}

function parsePort(value: unknown): number {
  const text = stringOption(value, 'port');
  if (text === undefined) return 0;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`, 'editor');
  return Number(text);
}

/** The folder holding adstudio's package.json: from the bundle (dist/main/…) and from source alike. */
function packageRoot(): string {
  const root = packageRootOf(import.meta.url);
  if (!root) throw new AppError('not-found', "cannot find adstudio's package.json above the running CLI");
  return root;
}

/** The folder of the running bundle (dist/main) — what the engine image carries; none from source. */
function bundleDir(): string | undefined {
  return bundleDirOf(import.meta.url) ?? undefined;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
}

/** "ko_KR.UTF-8" → "ko-KR"; falls back to what ICU says. */
export function osLocale(env: Record<string, string | undefined>): string {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  const m = raw ? /^([a-zA-Z]{2,3})(?:[_-]([a-zA-Z]{2}))?/.exec(raw) : null;
  if (m && raw !== 'C' && raw !== 'POSIX') return m[2] ? `${m[1]!.toLowerCase()}-${m[2].toUpperCase()}` : m[1]!.toLowerCase();
  return Intl.DateTimeFormat().resolvedOptions().locale;
}
