/**
 * The port through which the container manager talks to a container daemon. The only implementation
 * that touches Docker is main/adapters/docker-runtime.ts (dockerode); unit tests use an in-memory fake.
 * Everything here is plain data so the manager's logic can be tested without a daemon.
 */

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface PublishedPort {
  /** Host address the port is bound to ("127.0.0.1", "0.0.0.0", "::"). */
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

export interface ContainerSummary {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** The image reference the container was created from, as given (e.g. "adstudio-engine:0.1.0"). */
  image: string;
  imageId: string;
  status: ContainerStatus;
  labels: Record<string, string>;
  ports: PublishedPort[];
  /** "host", "bridge", "none", a network name. */
  networkMode: string;
}

export interface ContainerDetails extends ContainerSummary {
  exitCode: number;
  /** The daemon's own error for the last start, if any. */
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** "KEY=value" as the container was created with. */
  env: string[];
}

export interface ImageDetails {
  id: string;
  /** Bytes. */
  size: number;
  labels: Record<string, string>;
  tags: string[];
}

export interface DaemonInfo {
  serverVersion: string;
  os: string;
  /** "x86_64", "aarch64"… as the daemon reports it. */
  architecture: string;
  /** Registered OCI runtimes (e.g. runc, nvidia). A hint only: GPU device requests need no runtime entry. */
  runtimes: string[];
  /** False when the daemon runs without a bridge network (dockerd --bridge=none): ports cannot be published. */
  canPublishPorts: boolean;
}

export interface DeviceRequestSpec {
  driver: string;
  /** -1 = all. */
  count: number;
  capabilities: string[][];
}

export interface CreateContainerSpec {
  name: string;
  image: string;
  /** Replaces the image's CMD when given. */
  cmd?: string[];
  /** Replaces the image's ENTRYPOINT when given. */
  entrypoint?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  /** "host" or "publish" (the default network with published ports). */
  network: 'host' | 'publish' | 'none';
  /** Only for network "publish". */
  ports: PublishedPort[];
  binds: { hostPath: string; containerPath: string; readOnly: boolean }[];
  deviceRequests: DeviceRequestSpec[];
  /** Run an init process as PID 1 (docker --init): signals reach the server, zombies are reaped. */
  init: boolean;
  /** Seconds docker waits after SIGTERM before SIGKILL on `docker stop`. */
  stopTimeoutSec: number;
}

export interface BuildImageSpec {
  tag: string;
  /** An uncompressed or gzipped tar of the build context. */
  context: NodeJS.ReadableStream;
  dockerfile: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  /** The Dockerfile stage to build (the classic builder builds every stage up to it, and no further). */
  target?: string;
}

/** Build or pull progress: a fraction when known, and the last line the daemon printed. */
export interface ImageProgress {
  fraction: number | null;
  message: string;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** Written before the follow began (the replayed tail), as opposed to new output. */
  history: boolean;
}

export interface LogFollowOptions {
  /** Lines of history to replay first (0 = only new lines). */
  tail: number;
  onLine(line: LogLine): void;
  /** The stream ended (the container stopped, or the daemon went away). */
  onEnd(error?: Error): void;
}

export interface LogFollower {
  stop(): void;
}

export type RuntimeErrorKind =
  /** The daemon cannot be reached (no socket, refused, permission denied, bad DOCKER_HOST). */
  | 'unreachable'
  | 'not-found'
  /** Name already in use, or similar state conflicts (HTTP 409). */
  | 'conflict'
  /** Any other refusal from the daemon; the message is the daemon's. */
  | 'daemon';

/** What the adapter throws. `message` is the daemon's (or the socket's) own text. */
export class RuntimeError extends Error {
  constructor(
    readonly kind: RuntimeErrorKind,
    message: string,
    /** Node's error code for connection failures (ENOENT, ECONNREFUSED, EACCES…). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export interface ContainerRuntime {
  /** Where the daemon is, for messages: "unix:///var/run/docker.sock", "tcp://host:2376", "ssh://me@host". */
  readonly endpoint: string;
  /** True when the daemon runs on another machine (its file system and 127.0.0.1 are not ours). */
  readonly remote: boolean;
  info(): Promise<DaemonInfo>;
  /** Every container (running or not) matching all given labels ("key=value" or "key"). */
  listContainers(filter?: { labels?: string[] }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerDetails | null>;
  inspectImage(ref: string): Promise<ImageDetails | null>;
  buildImage(spec: BuildImageSpec, onProgress: (p: ImageProgress) => void, signal?: AbortSignal): Promise<void>;
  pullImage(ref: string, onProgress: (p: ImageProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Creates an image with no files at all (`docker import` of an empty tar): the GPU probe's image. */
  importEmptyImage(ref: string): Promise<void>;
  /** Returns the new container's id. */
  createContainer(spec: CreateContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSec. Stopping a stopped container is not an error. */
  stopContainer(id: string, timeoutSec: number): Promise<void>;
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;
  /** Follows stdout/stderr (demultiplexed) line by line. */
  followLogs(id: string, options: LogFollowOptions): LogFollower;
}
