import type { HealthProbe } from '../../../../main/core/containers/health.js';
import {
  type BuildImageSpec,
  type ContainerDetails,
  type ContainerRuntime,
  type ContainerSummary,
  type CreateContainerSpec,
  type DaemonInfo,
  type ImageDetails,
  type ImageProgress,
  type LogFollower,
  type LogFollowOptions,
  RuntimeError,
} from '../../../../main/core/containers/runtime.js';

interface FakeContainer extends ContainerDetails {
  spec: CreateContainerSpec | null;
  /** The fake "server" answers health on its host port once running and ready. */
  ready: boolean;
  followers: Set<LogFollowOptions>;
  output: string[];
}

/**
 * FakeContainerRuntime: an in-memory stand-in for the Docker daemon, for unit tests of the manager's
 * state machine only (the real daemon is exercised by test/integration/containers). It behaves like
 * dockerd where the manager relies on it: unique names (409), GPU device requests accepted at create
 * and refused at start without an NVIDIA runtime, log streams that end when a container stops.
 */
export class FakeContainerRuntime implements ContainerRuntime {
  readonly endpoint = 'unix:///fake/docker.sock';
  remote = false;
  containers = new Map<string, FakeContainer>();
  images = new Map<string, ImageDetails>();
  calls: string[] = [];
  /** Set to make every call fail as if the socket were missing. */
  unreachable = false;
  hasNvidia = false;
  canPublishPorts = true;
  /** Server start-up time after `start` (ms); null = never becomes healthy. */
  readyAfterMs: number | null = 0;
  /** Exit right after start with this code (a crashing server). */
  exitOnStart: number | null = null;
  /** Lines the "server" prints when it starts. */
  startupOutput = ['server: listening'];
  private seq = 0;

  addImage(ref: string, id = `sha256:${ref.replace(/\W/g, '')}`, labels: Record<string, string> = {}): ImageDetails {
    const img = { id, size: 123_000_000, labels, tags: [ref] };
    this.images.set(ref, img);
    this.images.set(id, img);
    return img;
  }

  /** A container made "by hand" (docker run …), outside the manager. */
  addContainer(p: Partial<ContainerDetails> & { name: string; image: string }, running = true): string {
    const id = `hand${++this.seq}`.padEnd(64, '0');
    this.containers.set(id, {
      id,
      imageId: this.images.get(p.image)?.id ?? `sha256:${p.image}`,
      status: running ? 'running' : 'exited',
      labels: {},
      ports: [],
      networkMode: 'bridge',
      exitCode: 0,
      error: '',
      oomKilled: false,
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      finishedAt: '',
      env: [],
      ...p,
      spec: null,
      ready: running,
      followers: new Set(),
      output: [],
    });
    return id;
  }

  /** The health probe as seen from the host: asks the fake server holding the URL's port. */
  probe: HealthProbe = async (url) => {
    const port = Number(new URL(url).port);
    for (const c of this.containers.values()) {
      if (c.status !== 'running' || !c.ready) continue;
      if (this.hostPortOf(c) === port) return { ok: true, status: 200, detail: 'healthy' };
    }
    return { ok: false, detail: 'connection refused (nothing listens yet)' };
  };

  /** `docker kill`: the process dies, its log stream ends. */
  kill(id: string, code = 137): void {
    const c = this.must(id);
    c.status = 'exited';
    c.exitCode = code;
    c.ready = false;
    for (const f of c.followers) f.onEnd();
    c.followers.clear();
  }

  print(id: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const c = this.must(id);
    c.output.push(text);
    for (const f of c.followers) f.onLine({ stream, text, history: false });
  }

  count(filter: (c: ContainerSummary) => boolean = () => true): number {
    return [...this.containers.values()].filter(filter).length;
  }

  // ---- ContainerRuntime ----

  async info(): Promise<DaemonInfo> {
    this.check('info');
    return { serverVersion: 'fake', os: 'linux', architecture: 'x86_64', runtimes: this.hasNvidia ? ['runc', 'nvidia'] : ['runc'], canPublishPorts: this.canPublishPorts };
  }

  async listContainers(filter: { labels?: string[] } = {}): Promise<ContainerSummary[]> {
    this.check('list');
    return [...this.containers.values()]
      .filter((c) => (filter.labels ?? []).every((l) => {
        const [k, v] = l.split('=');
        return v === undefined ? k! in c.labels : c.labels[k!] === v;
      }))
      .map((c) => this.summary(c));
  }

  async inspectContainer(id: string): Promise<ContainerDetails | null> {
    this.check('inspect');
    const c = this.containers.get(id);
    return c ? { ...this.summary(c), exitCode: c.exitCode, error: c.error, oomKilled: c.oomKilled, startedAt: c.startedAt, finishedAt: c.finishedAt, env: c.env } : null;
  }

  async inspectImage(ref: string): Promise<ImageDetails | null> {
    this.check('inspectImage');
    return this.images.get(ref) ?? null;
  }

  async buildImage(spec: BuildImageSpec, onProgress: (p: ImageProgress) => void): Promise<void> {
    this.check(`build ${spec.tag}`);
    onProgress({ fraction: 0.5, message: 'Step 1/2 : FROM base' });
    this.addImage(spec.tag, `sha256:built${++this.seq}`, { 'org.adstudio.source-hash': spec.buildArgs.ADSTUDIO_SOURCE_HASH ?? '' });
  }

  async pullImage(ref: string, onProgress: (p: ImageProgress) => void): Promise<void> {
    this.check(`pull ${ref}`);
    onProgress({ fraction: 0.5, message: 'Downloading' });
    this.addImage(ref);
  }

  async importEmptyImage(ref: string): Promise<void> {
    this.check(`import ${ref}`);
    this.addImage(ref);
  }

  async createContainer(spec: CreateContainerSpec): Promise<string> {
    this.check(`create ${spec.name}`);
    if (!this.images.has(spec.image)) throw new RuntimeError('not-found', `No such image: ${spec.image}`);
    if ([...this.containers.values()].some((c) => c.name === spec.name)) {
      throw new RuntimeError('conflict', `Conflict. The container name "/${spec.name}" is already in use`);
    }
    const id = `fake${++this.seq}`.padEnd(64, '0');
    this.containers.set(id, {
      id,
      name: spec.name,
      image: spec.image,
      imageId: this.images.get(spec.image)!.id,
      status: 'created',
      labels: { ...spec.labels },
      ports: spec.network === 'publish' ? spec.ports : [],
      networkMode: spec.network === 'publish' ? 'bridge' : spec.network,
      exitCode: 0,
      error: '',
      oomKilled: false,
      startedAt: '0001-01-01T00:00:00Z',
      finishedAt: '',
      env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      spec,
      ready: false,
      followers: new Set(),
      output: [],
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.check(`start ${id.slice(0, 8)}`);
    const c = this.must(id);
    if (c.spec?.deviceRequests.length && !this.hasNvidia) {
      throw new RuntimeError('daemon', 'could not select device driver "nvidia" with capabilities: [[gpu]]');
    }
    if (c.image.startsWith('adstudio-gpu-probe')) {
      throw new RuntimeError('daemon', 'failed to create shim task: OCI runtime create failed: exec: "/adstudio-gpu-probe": stat /adstudio-gpu-probe: no such file or directory: unknown');
    }
    c.status = 'running';
    c.startedAt = new Date().toISOString();
    for (const line of this.startupOutput) this.print(id, line);
    if (this.exitOnStart !== null) {
      this.print(id, 'fatal: cannot load model', 'stderr');
      this.kill(id, this.exitOnStart);
      return;
    }
    if (this.readyAfterMs === 0) c.ready = true;
    else if (this.readyAfterMs !== null) setTimeout(() => (c.ready = c.status === 'running'), this.readyAfterMs);
  }

  async stopContainer(id: string): Promise<void> {
    this.check(`stop ${id.slice(0, 8)}`);
    const c = this.must(id);
    if (c.status !== 'running') return;
    this.kill(id, 0);
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    this.check(`remove ${id.slice(0, 8)}`);
    const c = this.must(id);
    if (c.status === 'running' && !options.force) throw new RuntimeError('conflict', 'You cannot remove a running container');
    if (c.status === 'running') this.kill(id);
    this.containers.delete(id);
  }

  followLogs(id: string, options: LogFollowOptions): LogFollower {
    const c = this.containers.get(id);
    if (!c) {
      queueMicrotask(() => options.onEnd(new RuntimeError('not-found', 'no such container')));
      return { stop() {} };
    }
    for (const line of c.output.slice(-options.tail)) options.onLine({ stream: 'stdout', text: line, history: true });
    if (c.status === 'running' || c.status === 'created') c.followers.add(options);
    else queueMicrotask(() => options.onEnd());
    return { stop: () => c.followers.delete(options) };
  }

  // ---- helpers ----

  private summary(c: FakeContainer): ContainerSummary {
    return { id: c.id, name: c.name, image: c.image, imageId: c.imageId, status: c.status, labels: c.labels, ports: c.ports, networkMode: c.networkMode };
  }

  private hostPortOf(c: FakeContainer): number | undefined {
    if (c.networkMode === 'host') return Number(c.labels['org.adstudio.host-port'] ?? c.env.find((e) => e.startsWith('ADSTUDIO_PORT='))?.split('=')[1]);
    return c.ports[0]?.hostPort;
  }

  private check(call: string): void {
    this.calls.push(call);
    if (this.unreachable) throw new RuntimeError('unreachable', 'connect ENOENT /fake/docker.sock', 'ENOENT');
  }

  private must(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('not-found', `No such container: ${id}`);
    return c;
  }
}
