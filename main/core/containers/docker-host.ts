import { AppError } from '../../../preload/contract/index.js';

/** Where the Docker daemon listens, parsed from DOCKER_HOST (or the platform default). */
export type DockerEndpoint =
  | { kind: 'socket'; path: string; url: string }
  | { kind: 'pipe'; path: string; url: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; certPath?: string; url: string }
  | { kind: 'ssh'; host: string; port: number; username?: string; url: string };

export interface DockerHostEnv {
  DOCKER_HOST?: string;
  DOCKER_TLS_VERIFY?: string;
  DOCKER_CERT_PATH?: string;
}

/**
 * DOCKER_HOST as the docker CLI understands it: unix:///path, npipe:////./pipe/name, tcp://host[:port]
 * (2376 with DOCKER_TLS_VERIFY, else 2375), ssh://[user@]host[:port]. Empty = the platform default.
 * A malformed value is a clear error instead of a confusing connection failure later.
 */
export function parseDockerHost(env: DockerHostEnv = process.env, platform: NodeJS.Platform = process.platform): DockerEndpoint {
  const raw = (env.DOCKER_HOST ?? '').trim();
  if (raw === '') {
    return platform === 'win32'
      ? { kind: 'pipe', path: '//./pipe/docker_engine', url: 'npipe:////./pipe/docker_engine' }
      : { kind: 'socket', path: '/var/run/docker.sock', url: 'unix:///var/run/docker.sock' };
  }
  const bad = (why: string) =>
    new AppError('bad-request', `DOCKER_HOST="${raw}" is not a Docker address (${why}). Use unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host, or unset it.`);

  if (raw.startsWith('unix://')) {
    const path = raw.slice('unix://'.length);
    if (!path.startsWith('/')) throw bad('the socket path must be absolute');
    return { kind: 'socket', path, url: raw };
  }
  if (raw.startsWith('npipe://')) {
    const path = raw.slice('npipe://'.length);
    if (!path) throw bad('the pipe name is missing');
    return { kind: 'pipe', path, url: raw };
  }
  // A bare path is what some tools put there; the CLI rejects it, we accept the obvious meaning.
  if (raw.startsWith('/')) return { kind: 'socket', path: raw, url: `unix://${raw}` };

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('it is not a URL');
  }
  if (!['tcp:', 'http:', 'https:', 'ssh:'].includes(url.protocol)) throw bad(`unknown scheme "${url.protocol.replace(/:$/, '')}"`);
  const port = url.port === '' ? undefined : Number(url.port);
  if (url.hostname === '') throw bad('the host name is missing');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
    return {
      kind: 'tcp',
      host,
      port: port ?? (tls ? 2376 : 2375),
      tls,
      ...(tls && env.DOCKER_CERT_PATH ? { certPath: env.DOCKER_CERT_PATH } : {}),
      url: raw,
    };
  }
  if (url.protocol === 'ssh:') {
    return { kind: 'ssh', host, port: port ?? 22, ...(url.username ? { username: decodeURIComponent(url.username) } : {}), url: raw };
  }
  throw bad(`unknown scheme "${url.protocol.replace(/:$/, '')}"`);
}

/** True when the daemon's file system and loopback address are another machine's. */
export function isRemoteEndpoint(endpoint: DockerEndpoint): boolean {
  if (endpoint.kind === 'socket' || endpoint.kind === 'pipe') return false;
  if (endpoint.kind === 'ssh') return true;
  return !['localhost', '127.0.0.1', '::1'].includes(endpoint.host);
}
