import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { createDockerRuntime } from '../../../main/adapters/docker-runtime.js';
import type { ContainerRuntime } from '../../../main/core/containers/runtime.js';
import { repoRoot } from './engine-bundle.js';

const run = promisify(execFile);

export type DaemonCheck = { ok: true; runtime: ContainerRuntime; docker: Docker } | { ok: false; reason: string };

/**
 * Is a Docker daemon reachable? These tests need a real one. Without it they are skipped with a loud
 * reason — except in CI (CI=true) or with ADSTUDIO_REQUIRE_DOCKER=1, where a missing daemon is a
 * failure: CI is supposed to start dockerd (see scripts/docker/README.md).
 */
export async function checkDaemon(): Promise<DaemonCheck> {
  try {
    const runtime = await createDockerRuntime();
    await runtime.info();
    return { ok: true, runtime, docker: new Docker() };
  } catch (e) {
    return { ok: false, reason: `no Docker daemon reachable at ${process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'} (${(e as Error).message})` };
  }
}

export function mustHaveDocker(): boolean {
  return process.env.CI === 'true' || process.env.ADSTUDIO_REQUIRE_DOCKER === '1';
}

/** The local base image (node + its libraries via `docker import`), made once and reused. */
export async function ensureLocalBase(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts/docker/make-local-base.sh')], { cwd: repoRoot, timeout: 120_000 });
  return stdout.trim().split('\n').pop()!;
}

export { freePort } from '../../support/free-port.js';

/** Removes containers by label or exact name (force), ignoring the ones already gone. */
export async function removeContainers(docker: Docker, opts: { label?: string; names?: string[] }): Promise<void> {
  const all = await docker.listContainers({ all: true });
  for (const c of all) {
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const byLabel = opts.label ? (() => { const [k, v] = opts.label!.split('='); return c.Labels?.[k!] === v; })() : false;
    if (byLabel || opts.names?.includes(name)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
}
