#!/usr/bin/env node
// `npm start`: build when dist/ is missing or older than the sources, then open the editor in
// Electron when its binary exists or can be fetched; otherwise serve the same editor on 127.0.0.1
// (`adstudio editor`, which prints one line with the URL) and keep serving until stopped.
//
// Usage: npm start [-- --browser] [-- editor options: --port N --host H --token T --data-dir D --projects-dir P]
//        node scripts/start.mjs --build-only   (build if stale, then exit: what tests use)
// Env: ADSTUDIO_BROWSER=1 forces browser mode; ADSTUDIO_ELECTRON_FETCH_TIMEOUT_MS (default 30000).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const note = (message) => process.stderr.write(`adstudio: ${message}\n`);

const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser') || process.env.ADSTUDIO_BROWSER === '1';
const buildOnly = args.includes('--build-only');
const editorArgs = args.filter((a) => a !== '--browser' && a !== '--build-only');
const fetchTimeoutMs = Number(process.env.ADSTUDIO_ELECTRON_FETCH_TIMEOUT_MS) || 30_000;

const BUILD_OUTPUTS = ['dist/main/cli.mjs', 'dist/main/electron-main.mjs', 'dist/preload/index.cjs', 'dist/renderer/index.html'];
const BUILD_INPUTS = ['main', 'preload', 'renderer', 'assets', 'package.json', 'vite.config.ts', 'scripts/build.mjs'];

/** Newest modification time under `path` (skips node_modules and dot folders). Cheap: a few hundred files. */
function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function buildIsStale() {
  let oldestOutput = Infinity;
  for (const out of BUILD_OUTPUTS) {
    const p = join(root, out);
    if (!existsSync(p)) return true;
    oldestOutput = Math.min(oldestOutput, statSync(p).mtimeMs);
  }
  return BUILD_INPUTS.some((input) => newestMtime(join(root, input)) > oldestOutput);
}

function buildIfNeeded() {
  if (!buildIsStale()) return;
  note('building (dist/ is missing or older than the sources)…');
  // Build output goes to stderr: in browser mode stdout carries only the editor URL line.
  const result = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    note('the build failed (see above); fix it or run `npm run build` to see the errors.');
    process.exit(result.status ?? 1);
  }
}

/** Absolute path of the Electron executable if the electron package has it unpacked. */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  try {
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = join(dir, 'dist', relative);
    return relative && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Runs electron's own installer (skipped by ignore-scripts at npm install). Returns null or why it failed. */
function fetchElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return 'the electron package is not installed';
  note('fetching the Electron binary…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [installer], { cwd: root, env, timeout: fetchTimeoutMs, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error?.code === 'ETIMEDOUT' || result.signal) return `its download did not finish within ${Math.round(fetchTimeoutMs / 1000)} s`;
  if (result.status !== 0) {
    const firstLine = (result.stderr || '').split('\n').find((l) => l.trim() && !/^\s+at /.test(l));
    return `its download failed: ${firstLine?.trim().slice(0, 200) || `exit code ${result.status}`}`;
  }
  return electronBinary() ? null : 'its download finished but no binary appeared';
}

/** null when Electron can run here, else the reason it cannot. */
function electronUnavailableReason() {
  if (forceBrowser) return 'browser mode was requested';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset';
  const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main;
  if (!main || !existsSync(join(root, main))) return `package.json "main" (${main}) does not exist after the build`;
  if (electronBinary()) return null;
  return fetchElectron();
}

/** Runs `command`, forwarding SIGINT/SIGTERM; resolves with how it ended. */
function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit' });
  let signalled = false;
  const forward = (signal) => {
    signalled = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, signal: null, signalled, error }));
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, signal, signalled });
    });
  });
}

function exitLike({ code, signal }) {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 1) : 1));
}

async function browserMode(reason) {
  note(`Electron is not available here (${reason}); serving the editor in your browser instead.`);
  exitLike(await run(process.execPath, [join(root, 'dist/main/cli.mjs'), 'editor', ...editorArgs]));
}

buildIfNeeded();
if (buildOnly) process.exit(0);
const reason = electronUnavailableReason();
if (reason) {
  await browserMode(reason);
} else {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const started = Date.now();
  const ended = await run(electronBinary(), [root], env);
  // Electron that dies at once (missing system libraries, no GPU/display access) is "not available".
  if (!ended.signalled && ended.code !== 0 && Date.now() - started < 10_000) {
    await browserMode(ended.error ? `it could not start: ${ended.error.message}` : `it exited with code ${ended.code ?? ended.signal} right after starting`);
  } else {
    exitLike(ended);
  }
}
