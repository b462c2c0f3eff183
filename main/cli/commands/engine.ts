import { createDockerRuntime } from '../../adapters/docker-runtime.js';
import { ContainerError } from '../../core/containers/container-errors.js';
import { ContainerManager, type EngineSnapshot } from '../../core/containers/container-manager.js';
import { engineSettingsFile, loadEngineSettings } from '../../core/containers/engine-settings.js';
import { engineWorkspaceDir, findProfile, resolveProfiles } from '../../core/containers/profiles.js';
import { bundleDirOf, packageRootOf } from '../../core/paths/package-location.js';
import { defaultDataDir } from '../../core/paths/default-paths.js';
import type { CliIo } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { packageVersion } from '../version.js';
import type { CliCommand } from './command.js';

const SUBCOMMANDS = ['status', 'start', 'stop', 'reset', 'remove'] as const;

export const engineCommand: CliCommand = {
  name: 'engine',
  summary: 'engine containers: status, start (adopts a running one), stop, reset (nanoCocoa), remove',
  usage:
    'adstudio engine status [--json] | engine start --profile <name> [--json] | engine stop --profile <name> | engine reset --profile <name> | engine remove --profile <name> [--json]',
  details: [
    'Subcommands:',
    '  status                   every profile: state, container id, URL (and what is wrong, if anything)',
    '  start --profile <name>   bring the engine to healthy: adopts a container that already runs it',
    '                           (same container id), else builds/pulls the image, checks Docker, the',
    '                           GPU runtime, free disk and the port, creates one container, waits for',
    '                           its health route',
    '  stop --profile <name>    stop it gracefully (the container is kept for a quick start)',
    '  reset --profile <name>   nanoCocoa servers only: POST /server-reset, which stops every job on the',
    '                           server and clears a job lock left stuck by a crashed worker (new jobs',
    '                           were answered "busy" forever); the container keeps running',
    '  remove --profile <name>  delete its stopped (or failed) container; the image and the model volume',
    '                           are kept, and the next start creates a fresh container from the profile;',
    '                           a running engine is refused: stop it first (engine stop)',
    '',
    'Options:',
    '  --profile <name>   adstudio-engine (CPU, built from this repository\'s Dockerfile), nanococoa',
    '                     (the seed GPU server), or a custom profile from <data dir>/engines.json',
    '  --json             print {profile, state, containerId, url} (status: an array) on stdout',
    '',
    'Docker is found through DOCKER_HOST (unix://, tcp://, ssh://) or the default socket. Progress and',
    'notes go to stderr; engine logs go to <data dir>/logs/engine-<profile>.log.',
    'Exit codes: 0 ok, 1 failed (Docker unreachable, image missing, no GPU runtime, port taken…), 2 usage.',
  ].join('\n'),
  options: {
    profile: { type: 'string' },
    json: { type: 'boolean' },
  },

  async run({ positionals, values, io, signal }) {
    const [sub, ...extra] = positionals;
    if (sub === undefined) throw new UsageError('missing subcommand: status, start, stop, reset or remove', 'engine');
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`unknown subcommand "${sub}" (status, start, stop, reset, remove)`, 'engine');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, 'engine');
    const json = values.json === true;
    const profileName = typeof values.profile === 'string' && values.profile !== '' ? values.profile : undefined;
    if (values.profile !== undefined && profileName === undefined) throw new UsageError('option --profile needs a value', 'engine');
    if (sub !== 'status' && !profileName) throw new UsageError(`engine ${sub} needs --profile <name>`, 'engine');
    if ((sub === 'stop' || sub === 'reset') && json) throw new UsageError(`engine ${sub} has no --json`, 'engine');

    const manager = await openManager(io, sub === 'start');
    try {
      if (sub === 'status') return await status(manager, io, json, profileName);
      findProfile(manager.profiles(), profileName!);
      if (sub === 'start') return await start(manager, io, json, profileName!, signal);
      if (sub === 'reset') return await reset(manager, io, profileName!);
      if (sub === 'remove') return await remove(manager, io, json, profileName!);
      return await stop(manager, io, profileName!);
    } finally {
      await manager.close();
    }
  },
};

async function openManager(io: CliIo, followLogs: boolean): Promise<ContainerManager> {
  const dataDir = defaultDataDir({ env: io.env });
  const version = packageVersion();
  const settings = await loadEngineSettings(engineSettingsFile(dataDir), (m) => io.stderr.write(`adstudio: ${m}\n`));
  const profiles = resolveProfiles(settings, { version, workspaceHostPath: engineWorkspaceDir(dataDir) });
  const runtime = await createDockerRuntime({ env: io.env });
  return new ContainerManager({
    runtime,
    profiles,
    dataDir,
    version,
    packageRoot: packageRoot(),
    // The image carries the CLI bundle that is running now (dist/main, or wherever it was built).
    ...(bundleDir() ? { distDir: bundleDir()! } : {}),
    hostEnv: io.env,
    // A CLI run is one action: no background watching; the container outlives the process.
    monitorIntervalMs: 0,
    followLogs,
    onQuit: 'leave-running',
  });
}

async function status(manager: ContainerManager, io: CliIo, json: boolean, only: string | undefined): Promise<number> {
  const names = only ? [findProfile(manager.profiles(), only).name] : manager.profiles().map((p) => p.name);
  const snaps: EngineSnapshot[] = [];
  for (const n of names) snaps.push(await manager.refresh(n));
  const unreachable = snaps.find((s) => s.error?.reason === 'daemon-unreachable');
  if (json) {
    io.stdout.write(`${JSON.stringify(snaps.map((s) => ({ ...brief(s), error: s.error ? { reason: s.error.reason, message: s.error.message, action: s.error.action } : null })))}\n`);
  } else if (!unreachable) {
    const rows = snaps.map((s) => [s.profile, s.state + (s.health && !s.health.ok && s.state !== 'error' ? ` (${s.health.detail})` : ''), s.containerId ? s.containerId.slice(0, 12) : '-', s.url]);
    const widths = [0, 1, 2].map((i) => Math.max(...[['PROFILE', 'STATE', 'CONTAINER'][i]!, ...rows.map((r) => r[i]!)].map((x) => x.length)));
    const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`;
    io.stdout.write(`${[line(['PROFILE', 'STATE', 'CONTAINER', 'URL']), ...rows.map(line)].join('\n')}\n`);
    for (const s of snaps) {
      if (s.error) io.stderr.write(`adstudio: ${s.profile}: ${s.error.message} ${s.error.action}\n`);
      for (const w of s.warnings) io.stderr.write(`adstudio: ${s.profile}: ${w}\n`);
    }
  }
  // Docker itself being unreachable fails the command; an engine in trouble is a normal status.
  if (unreachable?.error) throw new ContainerError('daemon-unreachable', unreachable.error.message, unreachable.error.action, true);
  return 0;
}

async function start(manager: ContainerManager, io: CliIo, json: boolean, name: string, signal: AbortSignal): Promise<number> {
  const stopWatching = watchProgress(manager, io, name);
  let snap: EngineSnapshot;
  try {
    snap = await manager.start(name, { signal });
  } catch (e) {
    if (json) io.stdout.write(`${JSON.stringify({ ...brief(manager.snapshot(name)), state: 'error', error: e instanceof ContainerError ? e.info : null })}\n`);
    throw e;
  } finally {
    stopWatching();
  }
  for (const w of snap.warnings) io.stderr.write(`adstudio: ${name}: warning: ${w}\n`);
  if (json) io.stdout.write(`${JSON.stringify(brief(snap))}\n`);
  else io.stdout.write(`adstudio engine: ${name} is ${snap.state} at ${snap.url} (container ${snap.containerId}${snap.adopted ? ', adopted' : ''})\n`);
  return 0;
}

async function stop(manager: ContainerManager, io: CliIo, name: string): Promise<number> {
  const snap = await manager.stop(name);
  io.stdout.write(snap.containerId ? `adstudio engine: ${name} is ${snap.state} (container ${snap.containerId})\n` : `adstudio engine: ${name} has no container; nothing to stop\n`);
  return 0;
}

async function reset(manager: ContainerManager, io: CliIo, name: string): Promise<number> {
  const snap = await manager.resetServer(name);
  io.stdout.write(`adstudio engine: ${name} was reset at ${snap.url}: every job on that nanoCocoa server was stopped and its job lock cleared\n`);
  return 0;
}

async function remove(manager: ContainerManager, io: CliIo, json: boolean, name: string): Promise<number> {
  const before = await manager.refresh(name);
  let snap: EngineSnapshot;
  try {
    // Never stops it on the way: a person stops a running engine deliberately (engine stop).
    snap = await manager.remove(name, { whenRunning: 'refuse' });
  } catch (e) {
    if (json) io.stdout.write(`${JSON.stringify({ ...brief(manager.snapshot(name)), error: e instanceof ContainerError ? e.info : null })}\n`);
    throw e;
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(brief(snap))}\n`);
  } else if (before.containerId === null) {
    io.stdout.write(`adstudio engine: ${name} has no container; nothing to remove\n`);
  } else {
    const volume = findProfile(manager.profiles(), name).volume;
    io.stdout.write(
      `adstudio engine: ${name}: removed container ${before.containerName ?? before.containerId} (${before.containerId}); kept the image ${before.image}${volume ? ` and the model volume ${volume.hostPath}` : ''}\n`,
    );
  }
  return 0;
}

function brief(s: EngineSnapshot): { profile: string; state: string; containerId: string | null; url: string } {
  return { profile: s.profile, state: s.state, containerId: s.containerId, url: s.url };
}

/** State changes as lines on stderr; progress messages at most every 2 s (builds, pulls, health waits). */
function watchProgress(manager: ContainerManager, io: CliIo, name: string): () => void {
  let lastState = '';
  let lastNote = 0;
  return manager.subscribe((s) => {
    if (s.profile !== name) return;
    if (s.state !== lastState) {
      lastState = s.state;
      io.stderr.write(`adstudio: ${name}: ${s.state}${s.progress ? ` — ${s.progress.message}` : ''}\n`);
      lastNote = Date.now();
      return;
    }
    if (s.progress && Date.now() - lastNote > 2_000) {
      lastNote = Date.now();
      const pct = s.progress.fraction !== null ? ` ${Math.floor(s.progress.fraction * 100)}%` : '';
      io.stderr.write(`adstudio: ${name}:${pct} ${s.progress.message}\n`);
    }
  });
}

/** The folder of the running bundle (…/cli.mjs); undefined when running from TypeScript sources. */
function bundleDir(): string | undefined {
  return bundleDirOf(import.meta.url) ?? undefined;
}

/** The folder holding adstudio's package.json (source or bundle); null when not found (no building then). */
function packageRoot(): string | null {
  return packageRootOf(import.meta.url);
}
