import { ContainerError } from './container-errors.js';
import type { EngineProfile } from './profiles.js';
import type { RuntimeError } from './runtime.js';

/**
 * Every failure a person can meet when running an engine container, phrased once: what happened and
 * what to do. The CLI prints these, the Engines panel shows them, tests assert on them.
 */

const EMBEDDED = 'The embedded engine (CPU) works without Docker.';
const TOOLKIT_URL = 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';

export function daemonUnreachable(endpoint: string, e: RuntimeError): ContainerError {
  if (e.code === 'EACCES' || e.code === 'EPERM') {
    return new ContainerError(
      'daemon-unreachable',
      `Docker is not reachable: permission denied on ${endpoint}.`,
      `Add yourself to the docker group (sudo usermod -aG docker $USER, then log in again). ${EMBEDDED}`,
      true,
    );
  }
  const why = e.code === 'ENOENT' ? 'nothing listens there (is Docker installed and running?)' : e.message;
  return new ContainerError(
    'daemon-unreachable',
    `Docker is not reachable at ${endpoint}: ${why}.`,
    `Start Docker (Linux: sudo systemctl start docker; macOS/Windows: open Docker Desktop) or set DOCKER_HOST to a running daemon. ${EMBEDDED}`,
    true,
  );
}

export function noGpuRuntime(profile: EngineProfile, daemonMessage: string): ContainerError {
  return new ContainerError(
    'no-gpu-runtime',
    `No NVIDIA GPU runtime in Docker: the ${profile.title} needs a GPU, and the daemon refuses GPU containers ("${daemonMessage}").`,
    `Install an NVIDIA driver and the NVIDIA Container Toolkit, restart Docker (${TOOLKIT_URL}), or use the embedded engine (CPU) instead.`,
    true,
  );
}

export function gpuUnusable(profile: EngineProfile, daemonMessage: string): ContainerError {
  return new ContainerError(
    'gpu-unusable',
    `Docker has the NVIDIA runtime but cannot use the GPU for the ${profile.title} ("${daemonMessage}").`,
    'Check the driver with nvidia-smi on the host (a reboot after a driver update is common), or use the embedded engine (CPU) instead.',
    true,
  );
}

export function portTaken(profile: EngineProfile, port: number, holder: string): ContainerError {
  return new ContainerError(
    'port-taken',
    `Port ${port} on 127.0.0.1 is already in use by ${holder}, so the ${profile.name} engine cannot listen there.`,
    `Stop that program, or give the profile another port in engines.json ("profiles": {"${profile.name}": {"hostPort": ${port + 1}}}).`,
  );
}

export function nameTaken(profile: EngineProfile, name: string, image: string): ContainerError {
  return new ContainerError(
    'name-taken',
    `A container named "${name}" already exists but runs ${image}, not the ${profile.name} engine; adstudio will not create a second one beside it.`,
    `Remove it (docker rm -f ${name}) or rename it (docker rename ${name} ${name}-old), then start again.`,
  );
}

export function imageMissing(profile: EngineProfile, how: string): ContainerError {
  return new ContainerError('image-missing', `The image ${profile.image} for the ${profile.name} engine is not on this Docker host.`, how, profile.gpu);
}

export function buildFailed(profile: EngineProfile, daemonMessage: string, baseImage: string): ContainerError {
  const noRegistry = /pull access denied|no such host|dial tcp|i\/o timeout|connection refused|manifest unknown|not found/i.test(daemonMessage);
  return new ContainerError(
    'build-failed',
    `Building ${profile.image} failed: ${daemonMessage}.`,
    noRegistry
      ? `The base image ${baseImage} could not be fetched (no registry reachable?). Make a local base with scripts/docker/make-local-base.sh (adstudio uses it automatically) and start again.`
      : 'Fix the cause above (npm run build first if the bundles are missing) and start again.',
  );
}

export function pullFailed(profile: EngineProfile, daemonMessage: string): ContainerError {
  return new ContainerError(
    'pull-failed',
    `Downloading ${profile.image} failed: ${daemonMessage}.`,
    'Check the image name in engines.json, your network, and docker login for private images; then start again.',
    profile.gpu,
  );
}

export function healthTimeout(profile: EngineProfile, url: string, seconds: number, last: string, logFile: string): ContainerError {
  return new ContainerError(
    'health-timeout',
    `The ${profile.name} engine did not answer ${url} within ${seconds} s (last: ${last}); it is left running.`,
    `Look at its log (${logFile}); a first start that downloads models can need longer: raise healthTimeoutSec in engines.json.`,
  );
}

export function exitedEarly(profile: EngineProfile, exitCode: number, oomKilled: boolean, lastLines: string[], logFile: string): ContainerError {
  const why = oomKilled ? 'it ran out of memory' : exitCode === 137 ? 'it was killed (exit code 137)' : `exit code ${exitCode}`;
  const tail = lastLines.length ? ` Last output: ${lastLines.slice(-3).join(' | ')}` : '';
  return new ContainerError('exited', `The ${profile.name} engine container stopped unexpectedly (${why}).${tail}`, `Start it again; if it keeps stopping, read ${logFile}.`);
}

export function unhealthy(profile: EngineProfile, url: string, detail: string): ContainerError {
  return new ContainerError('unhealthy', `The ${profile.name} engine container runs but does not answer ${url} (${detail}).`, 'Restart it; if that does not help, read its log.');
}

/** remove() with whenRunning "refuse": the container is left alone; stopping it is a separate, deliberate step. */
export function stillRunning(profile: EngineProfile, container: string): ContainerError {
  return new ContainerError(
    'running',
    `The ${profile.name} engine's container ${container} is running, so it was not removed;`,
    `stop it first: adstudio engine stop --profile ${profile.name}`,
  );
}

export function paused(profile: EngineProfile, name: string): ContainerError {
  return new ContainerError('daemon-error', `The ${profile.name} engine container "${name}" is paused.`, `Resume it with docker unpause ${name}, or restart it.`);
}

export function daemonError(what: string, e: RuntimeError): ContainerError {
  return new ContainerError('daemon-error', `Docker refused to ${what}: ${e.message}.`, 'Fix the cause above and try again.');
}
