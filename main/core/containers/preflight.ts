import { randomBytes } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import type { ContainerError } from './container-errors.js';
import { LABELS } from './engine-image.js';
import { gpuUnusable, noGpuRuntime } from './explain.js';
import type { EngineProfile } from './profiles.js';
import { type ContainerRuntime, RuntimeError } from './runtime.js';

/** The GPU probe's image: no files at all, made locally with `docker import` (no registry needed). */
export const GPU_PROBE_IMAGE = 'adstudio-gpu-probe:empty';

export type GpuProbeResult = { ok: true } | { ok: false; error: ContainerError };

/**
 * Does Docker give containers an NVIDIA GPU? A GPU device request is accepted when a container is
 * created and refused only when it starts ("could not select device driver"), so: create a throw-away
 * container with the request and start it. Its image is empty, so with a working GPU runtime the start
 * still fails — later, at exec ("no such file"), which proves the device request passed.
 */
export async function probeGpu(runtime: ContainerRuntime, profile: EngineProfile, extraLabels: Record<string, string> = {}): Promise<GpuProbeResult> {
  if (!(await runtime.inspectImage(GPU_PROBE_IMAGE))) await runtime.importEmptyImage(GPU_PROBE_IMAGE);
  const id = await runtime.createContainer({
    name: `adstudio-gpu-probe-${process.pid}-${randomBytes(3).toString('hex')}`,
    image: GPU_PROBE_IMAGE,
    cmd: ['/adstudio-gpu-probe'],
    env: {},
    labels: { [LABELS.managed]: 'true', 'org.adstudio.probe': 'gpu', ...extraLabels },
    network: 'none',
    ports: [],
    binds: [],
    deviceRequests: [{ driver: 'nvidia', count: 1, capabilities: [['gpu']] }],
    init: false,
    stopTimeoutSec: 1,
  });
  try {
    await runtime.startContainer(id);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    return classifyGpuStartError(profile, e.message);
  } finally {
    await runtime.removeContainer(id, { force: true }).catch(() => undefined);
  }
}

export function classifyGpuStartError(profile: EngineProfile, message: string): GpuProbeResult {
  if (/could not select device driver/i.test(message)) return { ok: false, error: noGpuRuntime(profile, firstSentence(message)) };
  // The NVIDIA hook ran but the driver is not usable.
  if (/nvml|driver not loaded|no cuda-capable device|driver\/library version mismatch|nvidia-container-cli: (?!ldcache)|unknown or invalid runtime name: nvidia/i.test(message)) {
    return { ok: false, error: gpuUnusable(profile, firstSentence(message)) };
  }
  // Anything else is the empty image failing to exec, after the GPU was attached.
  return { ok: true };
}

function firstSentence(message: string): string {
  return message.split('\n')[0]!.trim().slice(0, 300);
}

export interface DiskFree {
  /** The folder whose disk was measured (the nearest existing one). */
  path: string;
  freeBytes: number;
  minBytes: number;
  low: boolean;
}

/** Free space on the disk that holds (or will hold) `folder`; null when it cannot be measured. */
export async function diskFreeFor(folder: string, minGb: number): Promise<DiskFree | null> {
  let dir = folder;
  for (;;) {
    try {
      const s = await statfs(dir);
      const freeBytes = Number(s.bavail) * Number(s.bsize);
      const minBytes = Math.round(minGb * 1e9);
      return { path: dir, freeBytes, minBytes, low: freeBytes < minBytes };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(dir);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === dir) return null;
      dir = parent;
    }
  }
}

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes < 10e9 ? 1 : 0)} GB`;
}
