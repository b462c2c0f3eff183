import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { AppError } from '../../preload/contract/index.js';
import type { DockerEndpoint } from '../core/containers/docker-host.js';

export interface ConnectionEnv {
  SSH_AUTH_SOCK?: string | undefined;
}

export interface ConnectionContext {
  home?: string;
  user?: string;
}

/** Private keys the ssh client tries when no agent runs, in its own order. */
const SSH_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * dockerode options for an endpoint, with the docker CLI's defaults: TLS certificates from
 * DOCKER_CERT_PATH or ~/.docker; ssh as the current user, keys from the agent or else ~/.ssh.
 */
export function connectionOptions(endpoint: DockerEndpoint, env: ConnectionEnv, ctx: ConnectionContext = {}): Dockerode.DockerOptions {
  const home = ctx.home ?? homedir();
  switch (endpoint.kind) {
    case 'socket':
    case 'pipe':
      return { socketPath: endpoint.path };
    case 'tcp': {
      if (!endpoint.tls) return { host: endpoint.host, port: endpoint.port, protocol: 'http' };
      const dir = endpoint.certPath ?? join(home, '.docker');
      const read = (name: string) => {
        const file = join(dir, name);
        if (!existsSync(file)) {
          throw new AppError('bad-request', `TLS to ${endpoint.url} needs ${file} (set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem, or unset DOCKER_TLS_VERIFY)`);
        }
        return readFileSync(file);
      };
      return { host: endpoint.host, port: endpoint.port, protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
    }
    case 'ssh': {
      const username = endpoint.username ?? ctx.user ?? userInfo().username;
      let sshOptions: Record<string, unknown>;
      if (env.SSH_AUTH_SOCK) sshOptions = { agent: env.SSH_AUTH_SOCK };
      else {
        const key = SSH_KEYS.map((k) => join(home, '.ssh', k)).find((f) => existsSync(f));
        if (!key) throw new AppError('bad-request', `ssh to ${endpoint.host} needs an ssh agent (SSH_AUTH_SOCK) or a key in ${join(home, '.ssh')} (${SSH_KEYS.join(', ')})`);
        sshOptions = { privateKey: readFileSync(key) };
      }
      return { host: endpoint.host, port: endpoint.port, protocol: 'ssh', username, sshOptions } as Dockerode.DockerOptions;
    }
  }
}
