import { createHash } from 'node:crypto';
import { LABELS } from './engine-image.js';
import type { EngineProfile } from './profiles.js';
import type { CreateContainerSpec, DaemonInfo } from './runtime.js';

export type NetworkMode = 'publish' | 'host';

/**
 * "auto": publish ports on 127.0.0.1 when the daemon has a bridge network; otherwise (dockerd
 * --bridge=none, as on these build machines) share the host's network and have the server bind
 * 127.0.0.1 itself. Either way the engine is reachable from this machine only.
 */
export function resolveNetwork(profile: EngineProfile, info: Pick<DaemonInfo, 'canPublishPorts'>): NetworkMode {
  if (profile.network === 'publish' || profile.network === 'host') return profile.network;
  return info.canPublishPorts ? 'publish' : 'host';
}

export interface SpecInput {
  profile: EngineProfile;
  network: NetworkMode;
  /** The engine's access token (adstudio protocol), handed over as ADSTUDIO_TOKEN. */
  token: string | null;
  /** The host's environment, for passEnv. */
  hostEnv: Record<string, string | undefined>;
  version: string;
  extraLabels: Record<string, string>;
}

export interface SpecResult {
  spec: CreateContainerSpec;
  /** Things a person should know (e.g. a server that binds all interfaces on the host network). */
  warnings: string[];
}

export function containerSpec(i: SpecInput): SpecResult {
  const p = i.profile;
  const warnings: string[] = [];
  const bindHost = i.network === 'host' ? '127.0.0.1' : '0.0.0.0';
  // On the host network there is no port mapping: the server must listen on the host port itself.
  const port = i.network === 'host' ? p.hostPort : p.containerPort;
  if (i.network === 'host' && !p.command && p.hostPort !== p.containerPort) {
    warnings.push(`On the host network the ${p.name} image listens on its own port ${p.containerPort}, not ${p.hostPort}: set hostPort to ${p.containerPort}.`);
  }
  if (i.network === 'host' && !p.command) {
    warnings.push(`On the host network the ${p.name} server decides its own bind address (its image's command); check that it listens on 127.0.0.1 only.`);
  }
  const env: Record<string, string> = { ...p.env, ADSTUDIO_PORT: String(port) };
  const fingerprint = specHash(p, i.network);
  for (const name of p.passEnv) {
    const v = i.hostEnv[name];
    if (v !== undefined && v !== '') env[name] = v;
  }
  if (i.token) env.ADSTUDIO_TOKEN = i.token;
  const cmd = p.command?.map((a) => a.replaceAll('{host}', bindHost).replaceAll('{port}', String(port)));
  return {
    warnings,
    spec: {
      name: p.containerName,
      image: p.image,
      ...(cmd ? { cmd } : {}),
      env,
      labels: {
        [LABELS.managed]: 'true',
        [LABELS.profile]: p.name,
        [LABELS.version]: i.version,
        [LABELS.network]: i.network,
        [LABELS.hostPort]: String(p.hostPort),
        [LABELS.spec]: fingerprint,
        ...i.extraLabels,
      },
      network: i.network,
      ports: i.network === 'publish' ? [{ hostIp: '127.0.0.1', hostPort: p.hostPort, containerPort: p.containerPort }] : [],
      binds: [p.volume, p.workspace].filter((b) => b !== null).map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: false })),
      deviceRequests: p.gpu ? [{ driver: 'nvidia', count: 1, capabilities: [['gpu']] }] : [],
      init: true,
      stopTimeoutSec: p.stopTimeoutSec,
    },
  };
}

/** The URL the engine answers on from this machine. */
export function engineUrl(hostPort: number): string {
  return `http://127.0.0.1:${hostPort}`;
}

/**
 * A short hash of everything a profile puts into its container: a stopped container whose label
 * differs was made from other settings and is recreated at the next start. Host environment values
 * (passEnv) and the token are left out: they are secrets, and they change without the profile changing.
 */
export function specHash(p: EngineProfile, network: NetworkMode): string {
  const facts = {
    image: p.image,
    command: p.command,
    env: Object.entries(p.env).sort(([a], [b]) => (a < b ? -1 : 1)),
    passEnv: [...p.passEnv].sort(),
    network,
    ports: [p.hostPort, p.containerPort],
    binds: [p.volume, p.workspace],
    gpu: p.gpu,
    stopTimeoutSec: p.stopTimeoutSec,
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}
