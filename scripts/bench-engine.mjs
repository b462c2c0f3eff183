#!/usr/bin/env node
// Engine container timings against the real Docker daemon (npm run bench:engine):
//   adopt      — a fresh ContainerManager (as a second app window or a CLI run would have) finds the running
//                healthy engine and adopts it: list containers + one health request. Target ≤ 0.3 s.
//   cold start — no container: create → start → `adstudio serve` boots → /health answers. The image is
//                built (or reused) beforehand and reported separately. Target ≤ 3 s on this machine.
//                (With dockerd's vfs storage driver, as on the build machines, creating a container copies
//                the whole image twice; starting the kept container after a Stop is also shown.)
// Usage: node scripts/bench-engine.mjs [--runs N]     (needs dockerd; builds the local base if missing)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const NAME = 'adstudio-engine-bench';
const IMAGE = 'adstudio-engine:bench';

const { createDockerRuntime } = await tsImport('../main/adapters/docker-runtime.ts', import.meta.url);
const { ContainerManager } = await tsImport('../main/core/containers/container-manager.ts', import.meta.url);
const { engineSettingsFile, saveEngineSettings } = await tsImport('../main/core/containers/engine-settings.ts', import.meta.url);
const { resolveProfiles } = await tsImport('../main/core/containers/profiles.ts', import.meta.url);
const { buildEngineBundles } = await tsImport('../test/integration/containers/engine-bundle.ts', import.meta.url);

let runtime;
try {
  runtime = await createDockerRuntime();
  const info = await runtime.info();
  console.log(`docker ${info.serverVersion} at ${runtime.endpoint} (${info.canPublishPorts ? 'bridge: ports published on 127.0.0.1' : 'no bridge: host network, server binds 127.0.0.1'})`);
} catch (e) {
  console.error(`bench-engine: no Docker daemon reachable (${e.message}); start dockerd first`);
  process.exit(1);
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'adstudio-bench-engine-'));
const bundleDir = join(root, '.tmp', `bench-engine-${process.pid}`);
// Written to engines.json too, so the CLI run below sees the same profile.
const settings = await saveEngineSettings(engineSettingsFile(dataDir), {
  profiles: { 'adstudio-engine': { image: IMAGE, containerName: NAME, hostPort: port, containerPort: port, volumeHostPath: join(dataDir, 'models') } },
});
const profiles = resolveProfiles(settings, { version: 'bench' });
const manager = (extra = {}) => new ContainerManager({ runtime, profiles, dataDir, version: 'bench', packageRoot: root, distDir: bundleDir, monitorIntervalMs: 0, ...extra });
const removeContainer = async () => {
  for (const c of await runtime.listContainers()) if (c.name === NAME) await runtime.removeContainer(c.id, { force: true });
};
const seconds = (ms) => (ms / 1000).toFixed(3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  execFileSync('bash', [join(root, 'scripts/docker/make-local-base.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  await buildEngineBundles(bundleDir);
  await removeContainer();

  // Image: built once (or reused when the bundles and lock file are unchanged). Not part of either target.
  let t = performance.now();
  const first = manager({ followLogs: false });
  await first.start('adstudio-engine');
  const firstStart = performance.now() - t;
  await first.close();

  const cold = [];
  for (let i = 0; i < runs; i++) {
    await removeContainer();
    const m = manager({ followLogs: false });
    t = performance.now();
    const snap = await m.start('adstudio-engine');
    cold.push(performance.now() - t);
    if (snap.state !== 'healthy') throw new Error(`cold start ended ${snap.state}`);
    await m.close();
  }

  // Starting the kept (stopped) container: what a Start after a Stop does; no file system copy.
  const restart = [];
  for (let i = 0; i < runs; i++) {
    const m = manager({ followLogs: false });
    await m.stop('adstudio-engine');
    t = performance.now();
    const snap = await m.start('adstudio-engine');
    restart.push(performance.now() - t);
    if (snap.state !== 'healthy') throw new Error(`start ended ${snap.state}`);
    await m.close();
  }

  const adopt = [];
  let id = null;
  for (let i = 0; i < runs * 2; i++) {
    const m = manager({ followLogs: false });
    t = performance.now();
    const snap = await m.start('adstudio-engine');
    adopt.push(performance.now() - t);
    if (id && snap.containerId !== id) throw new Error('adopt created a second container');
    id = snap.containerId;
    await m.close();
  }

  // The same adoption through the CLI, process start included (for scale; not the target).
  t = performance.now();
  const out = execFileSync(process.execPath, [join(bundleDir, 'cli.mjs'), 'engine', 'start', '--profile', 'adstudio-engine', '--json'], {
    env: { ...process.env, ADSTUDIO_HOME: dataDir },
    stdio: ['ignore', 'pipe', 'ignore'],
    encoding: 'utf8',
  });
  const cliAdopt = performance.now() - t;
  if (JSON.parse(out).containerId !== id) throw new Error('the CLI did not adopt the same container');

  const rows = [
    ['first start (image build or reuse + cold start)', seconds(firstStart), '', ''],
    [`cold start → healthy (median of ${runs})`, seconds(median(cold)), '≤ 3.000', median(cold) <= 3000 ? 'ok' : 'MISSED'],
    ['cold start → healthy (best / worst)', `${seconds(Math.min(...cold))} / ${seconds(Math.max(...cold))}`, '', ''],
    [`start of the stopped container → healthy (median of ${runs})`, seconds(median(restart)), '', ''],
    [`adopt running healthy engine (median of ${runs * 2})`, seconds(median(adopt)), '≤ 0.300', median(adopt) <= 300 ? 'ok' : 'MISSED'],
    ['adopt (best / worst)', `${seconds(Math.min(...adopt))} / ${seconds(Math.max(...adopt))}`, '', ''],
    ['adopt via `adstudio engine start --json`, node start included', seconds(cliAdopt), '', ''],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), 7];
  console.log(`\n${'measure'.padEnd(w[0])}  ${'seconds'.padStart(w[1])}  ${'target'.padStart(w[2])}  result`);
  for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}  ${r[3]}`);
  console.log(`\nload average: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
} finally {
  await removeContainer().catch(() => undefined);
  // A rebuild leaves the previous bench image untagged: drop those (the current one is kept for next time).
  execFileSync('sh', ['-c', 'docker image prune -f --filter label=org.adstudio.managed=true >/dev/null 2>&1 || true']);
  rmSync(bundleDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
