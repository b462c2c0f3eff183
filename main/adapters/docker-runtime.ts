import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { type DockerEndpoint, type DockerHostEnv, isRemoteEndpoint, parseDockerHost } from '../core/containers/docker-host.js';
import { LineSplitter } from '../core/containers/line-splitter.js';
import {
  type BuildImageSpec,
  type ContainerDetails,
  type ContainerRuntime,
  type ContainerStatus,
  type ContainerSummary,
  type CreateContainerSpec,
  type DaemonInfo,
  type ImageDetails,
  type ImageProgress,
  type LogFollower,
  type LogFollowOptions,
  type PublishedPort,
  RuntimeError,
} from '../core/containers/runtime.js';
import { connectionOptions } from './docker-connection.js';
import { DockerLogDemuxer } from './docker-log-demux.js';

export interface DockerRuntimeOptions {
  /** Defaults to process.env (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
  env?: DockerHostEnv & { SSH_AUTH_SOCK?: string };
  /** Quick requests (ping, inspect, list) give up after this long (default 10 s); streams never time out. */
  requestTimeoutMs?: number;
}

/**
 * The ContainerRuntime port over dockerode: the only module that talks to Docker. dockerode is loaded
 * on first use, so CLI commands that never touch Docker do not pay for loading it.
 */
export async function createDockerRuntime(options: DockerRuntimeOptions = {}): Promise<ContainerRuntime> {
  const env = options.env ?? process.env;
  const endpoint = parseDockerHost(env);
  const { default: Docker } = await import('dockerode');
  const connection = connectionOptions(endpoint, env);
  const quick = new Docker({ ...connection, timeout: options.requestTimeoutMs ?? 10_000 });
  const streams = new Docker(connection);
  return new DockerRuntime(endpoint, quick, streams);
}

class DockerRuntime implements ContainerRuntime {
  readonly endpoint: string;
  readonly remote: boolean;

  constructor(
    endpoint: DockerEndpoint,
    private readonly quick: Dockerode,
    private readonly streams: Dockerode,
  ) {
    this.endpoint = endpoint.url;
    this.remote = isRemoteEndpoint(endpoint);
  }

  async info(): Promise<DaemonInfo> {
    return call(async () => {
      const [info, networks] = await Promise.all([this.quick.info(), this.quick.listNetworks()]);
      const i = info as { ServerVersion?: string; OSType?: string; Architecture?: string; Runtimes?: Record<string, unknown> };
      return {
        serverVersion: i.ServerVersion ?? '?',
        os: i.OSType ?? '?',
        architecture: i.Architecture ?? '?',
        runtimes: Object.keys(i.Runtimes ?? {}),
        canPublishPorts: networks.some((n) => n.Driver === 'bridge'),
      };
    });
  }

  async listContainers(filter: { labels?: string[] } = {}): Promise<ContainerSummary[]> {
    return call(async () => {
      const list = await this.quick.listContainers({ all: true, ...(filter.labels?.length ? { filters: { label: filter.labels } } : {}) });
      return list.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        image: c.Image,
        imageId: c.ImageID,
        status: c.State as ContainerStatus,
        labels: c.Labels ?? {},
        ports: c.Ports.filter((p) => p.PublicPort !== undefined && p.Type === 'tcp').map((p) => ({ hostIp: p.IP ?? '', hostPort: p.PublicPort, containerPort: p.PrivatePort })),
        networkMode: c.HostConfig?.NetworkMode ?? '',
      }));
    });
  }

  async inspectContainer(id: string): Promise<ContainerDetails | null> {
    return call(async () => {
      try {
        const c = await this.quick.getContainer(id).inspect();
        const ports: PublishedPort[] = [];
        for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
          const [port, proto] = key.split('/');
          if (proto !== 'tcp') continue;
          for (const b of bindings ?? []) ports.push({ hostIp: b.HostIp, hostPort: Number(b.HostPort), containerPort: Number(port) });
        }
        return {
          id: c.Id,
          name: c.Name.replace(/^\//, ''),
          image: c.Config.Image,
          imageId: c.Image,
          status: c.State.Status as ContainerStatus,
          labels: c.Config.Labels ?? {},
          ports,
          networkMode: c.HostConfig.NetworkMode ?? '',
          exitCode: c.State.ExitCode,
          error: c.State.Error ?? '',
          oomKilled: c.State.OOMKilled,
          startedAt: c.State.StartedAt,
          finishedAt: c.State.FinishedAt,
          env: c.Config.Env ?? [],
        };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return null;
        throw e;
      }
    });
  }

  async inspectImage(ref: string): Promise<ImageDetails | null> {
    return call(async () => {
      try {
        const i = await this.quick.getImage(ref).inspect();
        return { id: i.Id, size: i.Size, labels: i.Config?.Labels ?? {}, tags: i.RepoTags ?? [] };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return null;
        throw e;
      }
    });
  }

  async buildImage(spec: BuildImageSpec, onProgress: (p: ImageProgress) => void, signal?: AbortSignal): Promise<void> {
    const stream = await call(() =>
      this.streams.buildImage(spec.context, {
        t: spec.tag,
        dockerfile: spec.dockerfile,
        buildargs: spec.buildArgs,
        labels: spec.labels,
        ...(spec.target ? { target: spec.target } : {}),
        rm: true,
        forcerm: true,
        ...(signal ? { abortSignal: signal } : {}),
      }),
    );
    let steps = 0;
    await readProgress(stream, signal, (msg) => {
      if (typeof msg.stream === 'string') {
        const line = msg.stream.trim();
        if (!line) return;
        // Classic builder: "Step 3/9 : COPY ..."
        const m = /^Step (\d+)\/(\d+)/.exec(line);
        if (m) steps = Number(m[1]) / Number(m[2]);
        onProgress({ fraction: Math.min(0.99, steps), message: line });
      } else if (typeof msg.status === 'string') {
        onProgress({ fraction: steps || null, message: msg.status });
      }
    });
    onProgress({ fraction: 1, message: `built ${spec.tag}` });
  }

  async pullImage(ref: string, onProgress: (p: ImageProgress) => void, signal?: AbortSignal): Promise<void> {
    const stream = (await call(() => this.streams.pull(ref, signal ? { abortSignal: signal } : {}))) as NodeJS.ReadableStream;
    const layers = new Map<string, { current: number; total: number }>();
    await readProgress(stream, signal, (msg) => {
      const id = typeof msg.id === 'string' ? msg.id : '';
      const detail = msg.progressDetail as { current?: number; total?: number } | undefined;
      if (id && detail?.total) layers.set(id, { current: detail.current ?? 0, total: detail.total });
      if (id && /^(Pull complete|Already exists|Download complete)/.test(String(msg.status))) {
        const l = layers.get(id);
        if (l) l.current = l.total;
      }
      let cur = 0;
      let tot = 0;
      for (const l of layers.values()) {
        cur += l.current;
        tot += l.total;
      }
      onProgress({ fraction: tot > 0 ? Math.min(0.99, cur / tot) : null, message: [msg.status, id].filter(Boolean).join(' ') });
    });
    onProgress({ fraction: 1, message: `pulled ${ref}` });
  }

  async importEmptyImage(ref: string): Promise<void> {
    const [repo, tag] = splitRef(ref);
    // Two zero blocks: a valid tar with no files.
    const stream = await call(() => this.quick.importImage(Readable.from([Buffer.alloc(1024)]), { repo, tag }));
    await readProgress(stream, undefined, () => {});
  }

  async createContainer(spec: CreateContainerSpec): Promise<string> {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    if (spec.network === 'publish') {
      for (const p of spec.ports) {
        exposed[`${p.containerPort}/tcp`] = {};
        (bindings[`${p.containerPort}/tcp`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
      }
    }
    const container = await call(() =>
      this.quick.createContainer({
        name: spec.name,
        Image: spec.image,
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        Labels: spec.labels,
        ExposedPorts: exposed,
        StopTimeout: spec.stopTimeoutSec,
        Tty: false,
        HostConfig: {
          NetworkMode: spec.network === 'publish' ? 'default' : spec.network,
          PortBindings: bindings,
          Binds: spec.binds.map((b) => `${b.hostPath}:${b.containerPath}${b.readOnly ? ':ro' : ''}`),
          Init: spec.init,
          DeviceRequests: spec.deviceRequests.map((d) => ({ Driver: d.driver, Count: d.count, Capabilities: d.capabilities })),
        },
      }),
    );
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await call(async () => {
      try {
        await this.quick.getContainer(id).start();
      } catch (e) {
        // 304: already started.
        if ((e as { statusCode?: number }).statusCode !== 304) throw e;
      }
    });
  }

  async stopContainer(id: string, timeoutSec: number): Promise<void> {
    await call(async () => {
      // The quick client would give up before docker's own SIGKILL deadline: use the streaming one.
      try {
        await this.streams.getContainer(id).stop({ t: timeoutSec });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 304) throw e;
      }
    });
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    await call(() => this.streams.getContainer(id).remove({ force: options.force ?? false, v: false }));
  }

  followLogs(id: string, options: LogFollowOptions): LogFollower {
    let stopped = false;
    let stream: NodeJS.ReadableStream | null = null;
    const abort = new AbortController();
    const start = async () => {
      const info = (await this.quick.getContainer(id).inspect()) as { Config: { Tty?: boolean } };
      // Timestamps tell the replayed tail from new output (the daemon's clock against ours, with a
      // little slack): callers keep history out of files that already have it.
      const since = Date.now() - 1_000;
      const s = (await this.streams.getContainer(id).logs({
        follow: true,
        stdout: true,
        stderr: true,
        tail: options.tail,
        timestamps: true,
        abortSignal: abort.signal,
      } as Dockerode.ContainerLogsOptions & { follow: true })) as NodeJS.ReadableStream;
      stream = s;
      if (stopped) {
        destroy(s);
        return;
      }
      const emit = (stream: 'stdout' | 'stderr') => (raw: string) => {
        const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?(.*)$/s.exec(raw);
        const at = m ? Date.parse(m[1]!) : NaN;
        options.onLine({ stream, text: m ? m[2]! : raw, history: Number.isFinite(at) && at < since });
      };
      const out = new LineSplitter(emit('stdout'));
      const err = new LineSplitter(emit('stderr'));
      const demux = new DockerLogDemuxer((kind, payload) => (kind === 'stderr' ? err : out).push(payload));
      s.on('data', (chunk: Buffer) => (info.Config.Tty ? out.push(chunk) : demux.push(chunk)));
      let ended = false;
      const finish = (e?: Error) => {
        if (ended) return;
        ended = true;
        out.end();
        err.end();
        if (!stopped) options.onEnd(e);
      };
      s.on('end', () => finish());
      s.on('close', () => finish());
      s.on('error', (e: Error) => finish(e));
    };
    start().catch((e: unknown) => {
      if (!stopped) options.onEnd(toRuntimeError(e));
    });
    return {
      stop() {
        stopped = true;
        abort.abort();
        if (stream) destroy(stream);
      },
    };
  }
}

function destroy(s: NodeJS.ReadableStream): void {
  (s as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}

/** Reads a newline-delimited JSON progress stream; an {error} message rejects with the daemon's text. */
function readProgress(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined, onMessage: (msg: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: RuntimeError | null = null;
    const lines = new LineSplitter((line) => {
      if (!line.trim()) return;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (msg.error !== undefined || msg.errorDetail !== undefined) {
        const detail = msg.errorDetail as { message?: string } | undefined;
        failure ??= new RuntimeError('daemon', String(detail?.message ?? msg.error).trim());
        return;
      }
      onMessage(msg);
    }, 1 << 20);
    const onAbort = () => {
      destroy(stream);
      reject(new RuntimeError('daemon', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => lines.push(chunk));
    stream.on('error', (e: Error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(toRuntimeError(e));
    });
    stream.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      lines.end();
      if (failure) reject(failure);
      else resolve();
    });
  });
}

function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toRuntimeError(e);
  }
}

const CONNECTION_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ESOCKETTIMEDOUT']);

/** dockerode's errors → RuntimeError with the daemon's own message. */
export function toRuntimeError(e: unknown): RuntimeError {
  if (e instanceof RuntimeError) return e;
  const err = e as { code?: string; statusCode?: number; json?: { message?: string } | string | null; reason?: string; message?: string; level?: string };
  if (err?.code && CONNECTION_CODES.has(err.code)) return new RuntimeError('unreachable', err.message ?? String(e), err.code);
  // ssh2 failures (no agent, auth refused) and request timeouts carry no HTTP status.
  if (err?.statusCode === undefined && (err?.level === 'client-authentication' || err?.level === 'client-socket' || /timeout/i.test(err?.message ?? ''))) {
    return new RuntimeError('unreachable', err.message ?? String(e), err.code);
  }
  const body = typeof err?.json === 'object' && err.json ? err.json.message : typeof err?.json === 'string' ? err.json : undefined;
  const message = (body ?? err?.reason ?? err?.message ?? String(e)).toString().trim();
  if (err?.statusCode === 404) return new RuntimeError('not-found', message);
  if (err?.statusCode === 409) return new RuntimeError('conflict', message);
  return new RuntimeError('daemon', message);
}
