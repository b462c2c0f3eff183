import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type EngineMemoryPayload } from '../../../preload/contract/index.js';
import { type ContainerError, type ContainerErrorInfo, errorInfo } from './container-errors.js';
import { containerSpec, engineUrl, resolveNetwork, specHash, type NetworkMode } from './container-spec.js';
import { LABELS } from './engine-image.js';
import { httpMemoryProbe, type MemoryProbe } from './engine-memory.js';
import { EngineLogs, type EngineLogLine, type EngineLogTail, type LogListener } from './engine-logs.js';
import { assertTransition, isRunningState, type EngineState } from './engine-states.js';
import { ensureImage, localBaseTag } from './ensure-image.js';
import { daemonError, daemonUnreachable, exitedEarly, healthTimeout, nameTaken, paused, portTaken, stillRunning, unhealthy } from './explain.js';
import { type Candidate, describeContainer, findEngine, hostPortOf } from './find-container.js';
import { type HealthProbe, type HealthResult, httpHealthProbe, waitForHealth } from './health.js';
import { acquireHostLock, type HostLockOptions } from './host-lock.js';
import { classifyGpuStartError, diskFreeFor, type DiskFree, formatGb, isPortFree, probeGpu } from './preflight.js';
import { resetNanoCocoaServer, type ServerReset } from './nanococoa-reset.js';
import { findProfile, type EngineProfile, type EngineProtocol } from './profiles.js';
import { type ContainerRuntime, type ContainerSummary, type DaemonInfo, type ImageProgress, RuntimeError } from './runtime.js';
import type { JobEndpoint, JobProfile } from '../engines/engines-port.js';

/** What the Engines panel shows for one profile; pushed to subscribers on every change. */
export interface EngineSnapshot {
  profile: string;
  title: string;
  /** How adstudio talks to it: the panel offers a nanoCocoa server's reset only for "nanococoa". */
  protocol: EngineProtocol;
  state: EngineState;
  health: { ok: boolean; detail: string; checkedAt: number } | null;
  /** Host port on 127.0.0.1. */
  port: number;
  url: string;
  containerId: string | null;
  containerName: string | null;
  image: string;
  /** Bytes; null until the image is known. */
  imageSize: number | null;
  /** Free space where the model volume lives; null when unknown (remote daemon, no volume). */
  diskFree: DiskFree | null;
  gpu: boolean;
  network: NetworkMode | null;
  /** Found already running/created rather than created by this manager. */
  adopted: boolean;
  progress: { phase: 'build' | 'pull' | 'health' | 'stop'; fraction: number | null; message: string } | null;
  error: ContainerErrorInfo | null;
  warnings: string[];
  updatedAt: number;
}

export type SnapshotListener = (snapshot: EngineSnapshot) => void;

export interface ContainerManagerOptions {
  runtime: ContainerRuntime;
  profiles: readonly EngineProfile[];
  /** The lock file and engine logs live here (<dataDir>/engines/…, <dataDir>/logs/…). */
  dataDir: string;
  /** adstudio's version (labels, image tag). */
  version: string;
  /** On close(): leave engines running (default) or stop the ones this app manages; setOnQuit changes it. */
  onQuit?: OnQuit;
  /** Folder with the Dockerfile and dist/ (to build adstudio-engine); null in a packaged app. */
  packageRoot?: string | null;
  /** Bundles to put in the engine image (default <packageRoot>/dist/main). */
  distDir?: string;
  /** Base used when the profile keeps the public default and it is not present (default the make-local-base.sh tag). */
  localBaseImage?: string | null;
  healthProbe?: HealthProbe;
  /** POST /server-reset to a nanoCocoa server (default: the nanoCocoa engine client's reset()). */
  serverReset?: ServerReset;
  /** Reads a running engine's VRAM (default: over HTTP, per the profile's protocol). */
  memoryProbe?: MemoryProbe;
  portFree?: (port: number) => Promise<boolean>;
  diskFree?: (folder: string, minGb: number) => Promise<DiskFree | null>;
  /** For passEnv (default process.env). */
  hostEnv?: Record<string, string | undefined>;
  /** Added to every container and image we create (tests use it to clean up exactly theirs). */
  extraLabels?: Record<string, string>;
  /** How often running engines are checked (default 5 s; 0 = only on demand). */
  monitorIntervalMs?: number;
  /** Follow container output into the log hub (default true). */
  followLogs?: boolean;
  /** Health checks a healthy engine may fail before it is reported unhealthy (default 3). */
  unhealthyAfter?: number;
  lock?: HostLockOptions;
  /** Notes for the app's own log. */
  log?: (message: string) => void;
}

export type OnQuit = 'leave-running' | 'stop';

export interface StartOptions {
  signal?: AbortSignal;
}

export interface RemoveOptions {
  /** A running container: "stop" stops it first (the default); "refuse" leaves it running and throws. */
  whenRunning?: 'stop' | 'refuse';
}

interface Slot {
  profile: EngineProfile;
  snap: EngineSnapshot;
  queue: Promise<unknown>;
  busy: number;
  /** Created or started by this manager: what onQuit "stop" stops. */
  startedHere: boolean;
  /** We asked it to stop: its exit is not an error. */
  stoppingHere: boolean;
  failedChecks: number;
  lastProgressEmit: number;
  /** Dropped from the settings: an operation still in flight on it must not bring its row back. */
  removed: boolean;
  /** The container's access token, read once per container (inspect is a daemon round trip). */
  token: { containerId: string; token: string | null } | null;
}

/** What reloadProfiles changed, so the caller can tell the person what still runs. */
export interface ReloadReport {
  added: string[];
  changed: string[];
  removed: string[];
  /** Containers of removed profiles that keep running (no longer managed) or starts still in flight. */
  keptRunning: { profile: string; container: string }[];
  /** Changed profiles whose container runs with its old settings until restarted. */
  restartToApply: string[];
}

/**
 * Runs engine containers per profile, one container per engine, never two: find (labels, names,
 * port) → adopt, or build/pull → preflight → create → start → wait for health; then watch it (health
 * checks, log stream end) and report every change to subscribers. All Docker access goes through the
 * ContainerRuntime port.
 */
export class ContainerManager {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<SnapshotListener>();
  private readonly logs: EngineLogs;
  private readonly runtime: ContainerRuntime;
  private readonly probe: HealthProbe;
  private readonly lockFile: string;
  private monitor: NodeJS.Timeout | null = null;
  private gpuOk = false;
  private closed = false;
  private onQuit: OnQuit;

  constructor(private readonly o: ContainerManagerOptions) {
    this.runtime = o.runtime;
    this.probe = o.healthProbe ?? httpHealthProbe;
    this.onQuit = o.onQuit ?? 'leave-running';
    this.lockFile = join(o.dataDir, 'engines', 'containers.lock');
    this.logs = new EngineLogs(o.runtime, join(o.dataDir, 'logs'), 500, (m) => this.note(m));
    for (const p of o.profiles) this.slots.set(p.name, this.newSlot(p));
    const every = o.monitorIntervalMs ?? 5_000;
    if (every > 0) {
      this.monitor = setInterval(() => void this.tick(), every);
      this.monitor.unref();
    }
  }

  // ---- observing -------------------------------------------------------------------------------

  profiles(): EngineProfile[] {
    return [...this.slots.values()].map((s) => s.profile);
  }

  snapshot(name: string): EngineSnapshot {
    return { ...this.slot(name).snap };
  }

  snapshots(): EngineSnapshot[] {
    return [...this.slots.values()].map((s) => ({ ...s.snap }));
  }

  /** Every snapshot change of every profile. Returns the unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Container output and adstudio's notes about the engine, line by line. */
  onLog(listener: LogListener): () => void {
    return this.logs.onLine(listener);
  }

  recentLogs(name: string, limit?: number): EngineLogLine[] {
    this.slot(name);
    return this.logs.lines(name, limit);
  }

  logFile(name: string): string {
    this.slot(name);
    return this.logs.fileFor(name);
  }

  /** The last `limit` lines of the engine's log from its files on disk (memory when there are none). */
  logTail(name: string, limit: number): Promise<EngineLogTail> {
    this.slot(name);
    return this.logs.tail(name, limit);
  }

  /** What close() does with the engines this app started; takes effect at once (the setting changed). */
  setOnQuit(onQuit: OnQuit): void {
    this.onQuit = onQuit;
  }

  quitAction(): OnQuit {
    return this.onQuit;
  }

  /**
   * After engines.json changed: changed profiles get their new settings (used by the next start; a
   * running container keeps its own until restarted), new ones appear as absent, removed ones
   * disappear — their containers are left as they are. Unchanged profiles are not touched at all.
   */
  reloadProfiles(profiles: readonly EngineProfile[]): ReloadReport {
    const report: ReloadReport = { added: [], changed: [], removed: [], keptRunning: [], restartToApply: [] };
    const next = new Map<string, Slot>();
    const touched: Slot[] = [];
    for (const p of profiles) {
      const slot = this.slots.get(p.name);
      if (!slot) {
        const fresh = this.newSlot(p);
        next.set(p.name, fresh);
        touched.push(fresh);
        report.added.push(p.name);
        continue;
      }
      next.set(p.name, slot);
      if (sameProfile(slot.profile, p)) continue;
      const old = slot.profile;
      slot.profile = p;
      const hasContainer = slot.snap.containerId !== null;
      slot.snap = {
        ...slot.snap,
        title: p.title,
        protocol: p.protocol,
        image: p.image,
        gpu: p.gpu,
        // Found again at the next observation: the new image's size, the new volume's disk.
        ...(old.image !== p.image ? { imageSize: null } : {}),
        ...(old.volume?.hostPath !== p.volume?.hostPath ? { diskFree: null } : {}),
        ...(hasContainer ? {} : { port: p.hostPort, url: engineUrl(p.hostPort) }),
      };
      touched.push(slot);
      report.changed.push(p.name);
      if (hasContainer && isRunningState(slot.snap.state)) report.restartToApply.push(p.name);
    }
    for (const [name, slot] of this.slots) {
      if (next.has(name)) continue;
      report.removed.push(name);
      slot.removed = true;
      this.logs.unfollow(name);
      const running = slot.snap.containerId !== null && isRunningState(slot.snap.state);
      if (running || slot.busy > 0) {
        const container = slot.snap.containerName ?? slot.snap.containerId ?? slot.profile.containerName;
        report.keptRunning.push({ profile: name, container });
        this.note(`${name}: profile deleted; its container ${container} is left running (stop it with: docker stop ${container})`);
      }
    }
    this.slots.clear();
    for (const [name, slot] of next) this.slots.set(name, slot);
    for (const slot of touched) this.emit(slot);
    return report;
  }

  /** Same as reloadProfiles, for callers that need no report. */
  setProfiles(profiles: readonly EngineProfile[]): void {
    this.reloadProfiles(profiles);
  }

  /**
   * The running engine's VRAM, asked afresh: adstudio engines through GET /v1/memory with the
   * container's token, nanoCocoa through its /health metrics. Only while the engine is healthy.
   */
  async memory(name: string, signal?: AbortSignal): Promise<EngineMemoryPayload> {
    const slot = this.slot(name);
    const { snap, profile: p } = slot;
    if (snap.state !== 'healthy' || !snap.containerId) {
      throw new AppError('engine', `The ${name} engine is not running (${snap.state}); its VRAM is shown while it runs.`);
    }
    if (slot.token?.containerId !== snap.containerId) {
      const conn = await this.connection(name);
      slot.token = { containerId: snap.containerId, token: conn?.token ?? null };
    }
    const probe = this.o.memoryProbe ?? httpMemoryProbe;
    const m = await probe({ protocol: p.protocol, url: snap.url, token: slot.token.token, healthPath: p.healthPath, ...(signal ? { signal } : {}) });
    return { profile: name, gpu: m.gpu, resident: m.resident, simulated: m.simulated, checkedAt: Date.now() };
  }

  /** Looks at the daemon and reports what is there, changing nothing. */
  refresh(name: string): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    return this.exclusive(slot, () => this.observe(slot));
  }

  async refreshAll(): Promise<EngineSnapshot[]> {
    return Promise.all([...this.slots.keys()].map((n) => this.refresh(n)));
  }

  /** URL and token for talking to a running engine (token: adstudio protocol, from the container's env). */
  async connection(name: string): Promise<{ url: string; token: string | null } | null> {
    const snap = this.slot(name).snap;
    if (!snap.containerId) return null;
    const details = await this.runtime.inspectContainer(snap.containerId);
    const token = details?.env.find((e) => e.startsWith('ADSTUDIO_TOKEN='))?.slice('ADSTUDIO_TOKEN='.length) ?? null;
    return { url: snap.url, token };
  }

  /** Profiles whose engine can run the app's jobs: the adstudio protocol and nanoCocoa ("generic" has only a health route). */
  jobProfiles(): JobProfile[] {
    return this.profiles().flatMap((p) => (p.protocol === 'generic' ? [] : [{ profile: p.name, title: p.title, protocol: p.protocol }]));
  }

  /** URL, token and workspace of the profile's running container, for the app's job scheduler. */
  async jobEndpoint(name: string): Promise<JobEndpoint | null> {
    const { snap, profile: p } = this.slot(name);
    if (p.protocol === 'generic') return null;
    if (this.runtime.remote && p.workspace) {
      // Stage files go through the bound workspace, which would be a folder on the other machine.
      throw new AppError('unsupported', `${p.title} runs on another machine (${this.runtime.endpoint}); adstudio can hand jobs only to an engine whose workspace folder is on this machine. Use the engine from that machine, or run Docker here.`);
    }
    const conn = await this.connection(name);
    if (!conn || !snap.containerId) return null;
    return { profile: p.name, title: p.title, protocol: p.protocol, url: conn.url, token: conn.token, containerId: snap.containerId, workspace: p.workspace };
  }

  // ---- acting ----------------------------------------------------------------------------------

  /** Brings the profile's engine to healthy: adopts one that exists, else creates exactly one. */
  start(name: string, options: StartOptions = {}): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    return this.exclusive(slot, () => this.guard(slot, () => this.doStart(slot, options)));
  }

  /** Stops the profile's container (SIGTERM through the init process, SIGKILL after the profile's timeout). */
  stop(name: string): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    return this.exclusive(slot, () => this.guard(slot, () => this.doStop(slot)));
  }

  restart(name: string, options: StartOptions = {}): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    return this.exclusive(slot, () =>
      this.guard(slot, async () => {
        await this.doStop(slot);
        return this.doStart(slot, options);
      }),
    );
  }

  /**
   * Deletes the container (the image, the model volume and the log stay); the next start creates a
   * fresh one from the profile. A running container is stopped first, or with whenRunning "refuse"
   * (the panel and the CLI) left running with an error that says to stop it first.
   */
  remove(name: string, options: RemoveOptions = {}): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    if (options.whenRunning === 'refuse') return this.exclusive(slot, () => this.removeStopped(slot));
    return this.exclusive(slot, () =>
      this.guard(slot, async () => {
        const snap = await this.doStop(slot);
        if (snap.containerId) {
          this.logs.unfollow(slot.profile.name);
          await this.call('remove the container', () => this.runtime.removeContainer(snap.containerId!, { force: true }));
          this.note(`${slot.profile.name}: removed container ${snap.containerName ?? snap.containerId}`, slot.profile.name);
        }
        return this.set(slot, { state: 'absent', containerId: null, containerName: null, health: null, adopted: false, progress: null, error: null });
      }),
    );
  }

  /** Docker's own word on whether it runs (not the snapshot: an unhealthy engine in "error" still runs). */
  private async removeStopped(slot: Slot): Promise<EngineSnapshot> {
    const p = slot.profile;
    // Outside guard: a refusal must not turn the engine's row into an error; it keeps running as it was.
    const found = await this.list().then(
      (all) => findEngine(p, all).candidates[0],
      () => undefined, // guard below meets the same failure and shows it in the row
    );
    if (found && isUp(found.container)) {
      await this.observeCandidate(slot, found).catch(() => undefined);
      throw stillRunning(p, found.container.name);
    }
    return this.guard(slot, async () => {
      const cand = findEngine(p, await this.list()).candidates[0];
      if (cand) {
        await this.observeCandidate(slot, cand);
        this.logs.unfollow(p.name);
        // No force: should it have been started since we looked (another adstudio), Docker refuses.
        await this.call('remove the container', () => this.runtime.removeContainer(cand.container.id, { force: false }));
        this.note(`${p.name}: removed container ${cand.container.name}; ${p.volume ? `the image ${p.image} and the model volume ${p.volume.hostPath} are kept` : `the image ${p.image} is kept`}`, p.name);
      }
      slot.startedHere = false;
      slot.stoppingHere = false;
      // Another container of this profile (a hand-made one) would show up here rather than "absent".
      return this.observe(slot);
    });
  }

  /**
   * POST /server-reset to the profile's nanoCocoa server: every job on it stops and a stuck job lock
   * is cleared. Sent to the address Docker shows for its container, else to the profile's own port
   * (the server may run outside Docker). Only for profiles that speak nanoCocoa.
   */
  resetServer(name: string): Promise<EngineSnapshot> {
    const slot = this.slot(name);
    const p = slot.profile;
    if (p.protocol !== 'nanococoa') {
      return Promise.reject(
        new AppError(
          'unsupported',
          `The ${name} engine does not speak the nanoCocoa protocol (it speaks "${p.protocol}"), so it has no server reset; to start it afresh, restart it instead.`,
        ),
      );
    }
    return this.exclusive(slot, async () => {
      const before = await this.observe(slot);
      try {
        await (this.o.serverReset ?? resetNanoCocoaServer)(before.url);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        const hint = before.state === 'healthy' ? '' : ` Its state is "${before.state}": start it first (npx adstudio engine start --profile ${name}).`;
        this.note(`${name}: reset failed: ${why}`, name);
        throw new AppError(e instanceof AppError && e.code === 'cancelled' ? 'cancelled' : 'engine', `Could not reset the ${name} engine at ${before.url}: ${why}.${hint}`);
      }
      this.note(`${name}: reset the nanoCocoa server at ${before.url} (POST /server-reset); every job on it was stopped`, name);
      return this.observe(slot);
    });
  }

  /** App quit: stop watching; stop the engines this app started when onQuit is "stop". */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.monitor) clearInterval(this.monitor);
    if (this.onQuit === 'stop') {
      for (const slot of this.slots.values()) {
        if (slot.startedHere && slot.snap.containerId) await this.exclusive(slot, () => this.doStop(slot)).catch(() => undefined);
      }
    }
    await this.logs.close();
  }

  // ---- the start path --------------------------------------------------------------------------

  private async doStart(slot: Slot, options: StartOptions): Promise<EngineSnapshot> {
    const p = slot.profile;
    slot.stoppingHere = false;
    this.set(slot, { warnings: [], error: null, progress: null });

    const found = findEngine(p, await this.list());
    const best = found.candidates[0];
    if (best && isUp(best.container)) return this.adopt(slot, best, found.candidates, options);

    const info = await this.call('describe itself', () => this.runtime.info());
    const network = resolveNetwork(p, info);
    if (best) {
      if (!(best.managed && (await this.outdated(best.container, network)))) return this.startExisting(slot, best, options);
      this.note(`${p.name}: removing outdated container ${best.container.name} (image or settings changed)`, p.name);
      await this.call('remove the outdated container', () => this.runtime.removeContainer(best.container.id, { force: true }));
    }
    // Whatever the last snapshot said, there is no container now.
    this.set(slot, { state: 'absent', containerId: null, containerName: null, health: null, adopted: false });
    const blocker = found.blockers[0];
    if (blocker) throw this.blockerError(p, blocker.kind, blocker.container);

    // Checks first: finding out there is no GPU after pulling a 25 GB image would be cruel.
    await this.preflight(slot, network);
    await this.prepareImage(slot, info, options.signal);
    return this.createAndStart(slot, info, network, options);
  }

  private async adopt(slot: Slot, cand: Candidate, all: Candidate[], options: StartOptions): Promise<EngineSnapshot> {
    const p = slot.profile;
    const extra = all.slice(1).filter((c) => c.managed).map((c) => c.container.name);
    if (extra.length) this.addWarning(slot, `More than one ${p.name} container exists (${extra.join(', ')}); using ${cand.container.name}.`);
    this.note(`${p.name}: adopting running container ${cand.container.name} (found by ${cand.how})`, p.name);
    const snap = await this.observeCandidate(slot, cand);
    if (snap.state === 'healthy') return snap;
    this.set(slot, { state: 'starting', error: null });
    return this.waitHealthy(slot, cand.container.id, options);
  }

  private async startExisting(slot: Slot, cand: Candidate, options: StartOptions): Promise<EngineSnapshot> {
    const p = slot.profile;
    await this.observeCandidate(slot, cand);
    this.note(`${p.name}: starting existing container ${cand.container.name}`, p.name);
    await this.preflight(slot, cand.container.networkMode === 'host' ? 'host' : 'publish', hostPortOf(p, cand.container));
    await this.startContainer(slot, cand.container.id, false);
    slot.startedHere = true;
    return this.waitHealthy(slot, cand.container.id, options);
  }

  private async createAndStart(slot: Slot, info: DaemonInfo, network: NetworkMode, options: StartOptions): Promise<EngineSnapshot> {
    const p = slot.profile;
    const lock = await acquireHostLock(this.lockFile, `start ${p.name}`, this.o.lock);
    let id: string;
    try {
      // Another app instance may have created it while we built or probed.
      const again = findEngine(p, await this.list());
      if (again.candidates[0]) {
        await lock.release();
        return this.doStartFound(slot, again.candidates, options);
      }
      const token = p.protocol === 'adstudio-v1' ? randomBytes(32).toString('base64url') : null;
      const { spec, warnings } = containerSpec({ profile: p, network, token, hostEnv: this.o.hostEnv ?? process.env, version: this.o.version, extraLabels: this.o.extraLabels ?? {} });
      for (const w of warnings) this.addWarning(slot, w);
      // Our own folders, so Docker does not create them owned by root.
      for (const bind of [p.volume, p.workspace]) if (bind && !this.runtime.remote) await mkdir(bind.hostPath, { recursive: true }).catch(() => undefined);
      try {
        id = await this.runtime.createContainer(spec);
      } catch (e) {
        if (e instanceof RuntimeError && e.kind === 'conflict') {
          // Lost a race for the name (Docker keeps names unique): adopt the winner, or say who took it.
          await lock.release();
          const now = findEngine(p, await this.list());
          const taker = now.blockers.find((b) => b.kind === 'name');
          if (!now.candidates[0] && taker) throw nameTaken(p, taker.container.name, taker.container.image);
          return this.doStartFound(slot, now.candidates, options);
        }
        throw this.runtimeFailure('create the container', e);
      }
      this.note(`${p.name}: created container ${spec.name} (${network} network, port ${p.hostPort})`, p.name);
      slot.startedHere = true;
      this.set(slot, { state: 'created', containerId: id, containerName: spec.name, network, adopted: false, port: p.hostPort, url: engineUrl(p.hostPort) });
      await this.startContainer(slot, id, true);
    } finally {
      await lock.release();
    }
    return this.waitHealthy(slot, id, options);
  }

  private async doStartFound(slot: Slot, candidates: Candidate[], options: StartOptions): Promise<EngineSnapshot> {
    const best = candidates[0];
    if (!best) throw new AppError('internal', 'no container to adopt');
    // Our build/pull finished, but another instance's container won: we made none.
    if (slot.snap.state === 'building' || slot.snap.state === 'pulling') this.set(slot, { state: 'absent' });
    return isUp(best.container) ? this.adopt(slot, best, candidates, options) : this.startExisting(slot, best, options);
  }

  private async startContainer(slot: Slot, id: string, removeOnFailure: boolean): Promise<void> {
    const p = slot.profile;
    this.set(slot, { state: 'starting', progress: { phase: 'health', fraction: 0, message: 'starting the container' } });
    if (this.o.followLogs !== false) this.followLogs(slot, id, 1000);
    try {
      await this.runtime.startContainer(id);
    } catch (e) {
      if (removeOnFailure) await this.runtime.removeContainer(id, { force: true }).catch(() => undefined);
      if (!(e instanceof RuntimeError) || e.kind === 'unreachable') throw e;
      if (p.gpu || /device driver/i.test(e.message)) {
        const gpu = classifyGpuStartError(p, e.message);
        if (!gpu.ok) throw gpu.error;
      }
      if (/address already in use|port is already allocated/i.test(e.message)) throw portTaken(p, p.hostPort, 'another program');
      throw daemonError('start the container', e);
    }
  }

  private async waitHealthy(slot: Slot, id: string, options: StartOptions): Promise<EngineSnapshot> {
    const p = slot.profile;
    const url = slot.snap.url;
    const timeoutMs = p.healthTimeoutSec * 1000;
    if (this.o.followLogs !== false) this.followLogs(slot, id, 1000);
    const outcome = await waitForHealth({
      url: `${url}${p.healthPath}`,
      protocol: p.protocol,
      probe: this.probe,
      timeoutMs,
      signal: options.signal,
      onWaiting: (elapsed, last) => {
        const last1 = this.logs.lines(p.name, 1)[0]?.text;
        this.setProgress(slot, {
          phase: 'health',
          fraction: Math.min(0.99, elapsed / timeoutMs),
          message: `waiting for ${url}${p.healthPath} (${last.detail}), ${Math.round(elapsed / 1000)} s of ${p.healthTimeoutSec} s${last1 ? ` — ${last1.slice(0, 120)}` : ''}`,
        });
      },
      stillRunning: async () => {
        const d = await this.runtime.inspectContainer(id).catch(() => null);
        return d !== null && (d.status === 'running' || d.status === 'restarting' || d.status === 'created');
      },
    });
    if (outcome.kind === 'healthy') {
      slot.failedChecks = 0;
      this.note(`${p.name}: healthy after ${(outcome.elapsedMs / 1000).toFixed(1)} s at ${url}`, p.name);
      return this.set(slot, { state: 'healthy', health: health(outcome.result), progress: null, error: null });
    }
    if (outcome.kind === 'aborted') {
      this.set(slot, { progress: null });
      throw new AppError('cancelled', `stopped waiting for the ${p.name} engine; its container keeps starting`);
    }
    if (outcome.kind === 'exited') {
      await new Promise((r) => setTimeout(r, 200)); // let the last log lines arrive
      await this.logs.flush();
      const d = await this.runtime.inspectContainer(id);
      throw exitedEarly(p, d?.exitCode ?? -1, d?.oomKilled ?? false, this.logs.lines(p.name, 3).map((l) => l.text), this.logs.fileFor(p.name));
    }
    throw healthTimeout(p, `${url}${p.healthPath}`, p.healthTimeoutSec, outcome.last.detail, this.logs.fileFor(p.name));
  }

  private async prepareImage(slot: Slot, info: DaemonInfo, signal?: AbortSignal): Promise<void> {
    const p = slot.profile;
    const img = await ensureImage({
      runtime: this.runtime,
      profile: p,
      info,
      packageRoot: this.o.packageRoot ?? null,
      ...(this.o.distDir ? { distDir: this.o.distDir } : {}),
      localBaseImage: this.o.localBaseImage === undefined ? localBaseTag() : this.o.localBaseImage,
      signal,
      onPhase: (phase) => {
        this.note(`${p.name}: ${phase === 'build' ? 'building' : 'pulling'} ${p.image}`, p.name);
        this.set(slot, { state: phase === 'build' ? 'building' : 'pulling', progress: { phase, fraction: 0, message: `${phase === 'build' ? 'building' : 'pulling'} ${p.image}` } });
      },
      onProgress: (pr: ImageProgress) => {
        if (slot.snap.progress?.message !== pr.message && pr.message) this.logs.add(p.name, 'stdout', `[${slot.snap.state}] ${pr.message}`);
        this.setProgress(slot, { phase: slot.snap.state === 'pulling' ? 'pull' : 'build', fraction: pr.fraction, message: pr.message });
      },
    });
    this.set(slot, { imageSize: img.size, progress: null });
  }

  /** GPU runtime, free disk, free port: checked before creating (or starting) a container. */
  private async preflight(slot: Slot, network: NetworkMode, port: number = slot.profile.hostPort): Promise<void> {
    const p = slot.profile;
    if (p.gpu && !this.gpuOk) {
      const r = await probeGpu(this.runtime, p, this.o.extraLabels).catch((e: unknown) => {
        throw this.runtimeFailure('run the GPU probe', e);
      });
      if (!r.ok) throw r.error;
      this.gpuOk = true;
    }
    if (p.volume && !this.runtime.remote) {
      const disk = await (this.o.diskFree ?? diskFreeFor)(p.volume.hostPath, p.minFreeDiskGb);
      this.set(slot, { diskFree: disk });
      if (disk?.low) {
        this.addWarning(slot, `Only ${formatGb(disk.freeBytes)} free on the disk of ${p.volume.hostPath}; the ${p.name} engine wants at least ${formatGb(disk.minBytes)} for its models.`);
      }
    } else if (this.runtime.remote) {
      // Every profile, volume or not: the engine listens on the other machine's 127.0.0.1.
      this.addWarning(slot, `Docker runs on another machine (${this.runtime.endpoint}): its free disk and port ${port} cannot be checked from here, and 127.0.0.1:${port} there needs a tunnel (ssh -NL ${port}:127.0.0.1:${port} <host>).`);
    }
    if (!this.runtime.remote && !(await (this.o.portFree ?? isPortFree)(port))) {
      // Not a container we know of (those were found by their published ports): another program.
      throw portTaken(p, port, network === 'host' ? 'another program (or a container on the host network)' : 'another program');
    }
  }

  // ---- stop ------------------------------------------------------------------------------------

  private async doStop(slot: Slot): Promise<EngineSnapshot> {
    const p = slot.profile;
    const cand = findEngine(p, await this.list()).candidates[0];
    if (!cand) return this.set(slot, { state: 'absent', containerId: null, containerName: null, health: null, progress: null, error: null });
    await this.observeCandidate(slot, cand);
    if (!isUp(cand.container)) return slot.snap.state === 'error' ? this.set(slot, { state: 'stopped', error: null }) : { ...slot.snap };
    slot.stoppingHere = true;
    this.note(`${p.name}: stopping ${cand.container.name}`, p.name);
    this.set(slot, { state: 'stopping', progress: { phase: 'stop', fraction: null, message: `stopping (up to ${p.stopTimeoutSec} s)` } });
    await this.call('stop the container', () => this.runtime.stopContainer(cand.container.id, p.stopTimeoutSec));
    const d = await this.runtime.inspectContainer(cand.container.id);
    this.note(`${p.name}: stopped (exit code ${d?.exitCode ?? '?'})`, p.name);
    return this.set(slot, { state: 'stopped', health: null, progress: null, error: null });
  }

  // ---- observation -----------------------------------------------------------------------------

  /**
   * What a person wants to know before the first start: how big the image is (null while it is not
   * built or pulled yet) and how much disk the model volume has. Never fails the observation.
   */
  private async observeResources(slot: Slot): Promise<void> {
    const p = slot.profile;
    const patch: Partial<EngineSnapshot> = {};
    if (slot.snap.imageSize === null) {
      const img = await this.runtime.inspectImage(p.image).catch(() => null);
      if (img) patch.imageSize = img.size;
    }
    if (p.volume && !this.runtime.remote) {
      const disk = await (this.o.diskFree ?? diskFreeFor)(p.volume.hostPath, p.minFreeDiskGb).catch(() => null);
      if (disk) patch.diskFree = disk;
    }
    if (Object.keys(patch).length > 0) this.set(slot, patch);
  }

  private async observe(slot: Slot): Promise<EngineSnapshot> {
    try {
      await this.observeResources(slot);
      const found = findEngine(slot.profile, await this.list());
      const best = found.candidates[0];
      if (!best) {
        this.logs.unfollow(slot.profile.name);
        const warnings = found.blockers.map((b) => `${b.kind === 'name' ? 'Its name' : `Port ${slot.profile.hostPort}`} is taken by ${describeContainer(b.container)}.`);
        return this.set(slot, { state: 'absent', containerId: null, containerName: null, health: null, progress: null, error: null, adopted: false, warnings });
      }
      return await this.observeCandidate(slot, best);
    } catch (e) {
      return this.set(slot, { state: 'error', error: errorInfo(e), progress: null });
    }
  }

  private async observeCandidate(slot: Slot, cand: Candidate): Promise<EngineSnapshot> {
    const p = slot.profile;
    const c = cand.container;
    const port = hostPortOf(p, c);
    const base: Partial<EngineSnapshot> = {
      containerId: c.id,
      containerName: c.name,
      port,
      url: engineUrl(port),
      network: c.networkMode === 'host' ? 'host' : 'publish',
      adopted: !slot.startedHere,
    };
    if (slot.snap.imageSize === null) {
      const img = await this.runtime.inspectImage(c.imageId).catch(() => null);
      if (img) base.imageSize = img.size;
    }
    if (c.status === 'running' || c.status === 'restarting') {
      if (this.o.followLogs !== false) this.followLogs(slot, c.id, 100);
      const h = await this.probe(`${engineUrl(port)}${p.healthPath}`, p.protocol);
      if (h.ok) {
        slot.failedChecks = 0;
        return this.set(slot, { ...base, state: 'healthy', health: health(h), error: null, progress: null });
      }
      const wasHealthy = slot.snap.state === 'healthy' && slot.snap.containerId === c.id;
      if (wasHealthy && ++slot.failedChecks < (this.o.unhealthyAfter ?? 3)) return this.set(slot, { ...base, health: health(h) });
      const d = await this.runtime.inspectContainer(c.id);
      const upMs = d ? Date.now() - Date.parse(d.startedAt) : Infinity;
      if (!wasHealthy && upMs < p.healthTimeoutSec * 1000) return this.set(slot, { ...base, state: 'starting', health: health(h), error: null });
      return this.set(slot, { ...base, state: 'error', health: health(h), error: unhealthy(p, `${engineUrl(port)}${p.healthPath}`, h.detail).info, progress: null });
    }
    this.logs.unfollow(p.name);
    if (c.status === 'created') return this.set(slot, { ...base, state: 'created', health: null, error: null });
    if (c.status === 'paused') return this.set(slot, { ...base, state: 'error', health: null, error: paused(p, c.name).info });
    const d = await this.runtime.inspectContainer(c.id);
    const code = d?.exitCode ?? 0;
    // 0: a clean stop (our init forwards SIGTERM); 143/130: SIGTERM/SIGINT without a handler.
    if (slot.stoppingHere || code === 0 || code === 143 || code === 130) {
      return this.set(slot, { ...base, state: 'stopped', health: null, error: null, progress: null });
    }
    await this.logs.flush();
    const lines = this.logs.lines(p.name, 3).map((l) => l.text);
    return this.set(slot, { ...base, state: 'error', health: null, progress: null, error: exitedEarly(p, code, d?.oomKilled ?? false, lines, this.logs.fileFor(p.name)).info });
  }

  /** Periodic watch of engines that should be running. */
  private async tick(): Promise<void> {
    for (const slot of this.slots.values()) {
      if (this.closed || slot.busy > 0 || !slot.snap.containerId) continue;
      if (!['healthy', 'starting', 'error'].includes(slot.snap.state)) continue;
      await this.exclusive(slot, () => this.observe(slot)).catch(() => undefined);
    }
  }

  private followLogs(slot: Slot, id: string, tail: number): void {
    const name = slot.profile.name;
    if (this.logs.isFollowing(name, id)) return;
    this.logs.follow(name, id, tail, () => {
      // The stream ends when the container stops: look at once instead of waiting for the next tick.
      if (this.closed) return;
      setTimeout(() => {
        if (slot.busy === 0 && !this.closed) void this.exclusive(slot, () => this.observe(slot)).catch(() => undefined);
      }, 50).unref();
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async outdated(c: ContainerSummary, network: NetworkMode): Promise<boolean> {
    const img = await this.runtime.inspectImage(this.slotFor(c)?.profile.image ?? c.image).catch(() => null);
    if (img && img.id !== c.imageId) return true;
    const p = this.slotFor(c)?.profile;
    if (p === undefined) return false;
    // Containers made before the spec label existed are judged by port and network only.
    const spec = c.labels[LABELS.spec];
    return c.labels[LABELS.hostPort] !== String(p.hostPort) || c.labels[LABELS.network] !== network || (spec !== undefined && spec !== specHash(p, network));
  }

  private slotFor(c: ContainerSummary): Slot | undefined {
    const name = c.labels[LABELS.profile];
    return name ? this.slots.get(name) : undefined;
  }

  private blockerError(p: EngineProfile, kind: 'name' | 'port', c: ContainerSummary): ContainerError {
    return kind === 'name' ? nameTaken(p, c.name, c.image) : portTaken(p, p.hostPort, describeContainer(c));
  }

  private async list(): Promise<ContainerSummary[]> {
    return this.call('list containers', () => this.runtime.listContainers());
  }

  /** Runs a runtime call; a failure becomes a ContainerError a person can act on. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.runtimeFailure(what, e);
    }
  }

  private runtimeFailure(what: string, e: unknown): unknown {
    if (!(e instanceof RuntimeError)) return e;
    return e.kind === 'unreachable' ? daemonUnreachable(this.runtime.endpoint, e) : daemonError(what, e);
  }

  /** Turns a failure into the error state (with its reason) and rethrows it. */
  private async guard(slot: Slot, fn: () => Promise<EngineSnapshot>): Promise<EngineSnapshot> {
    try {
      return await fn();
    } catch (e) {
      const err = this.runtimeFailure('do that', e);
      if (err instanceof AppError && err.code === 'cancelled') throw err;
      const info = errorInfo(err);
      this.note(`${slot.profile.name}: ${info.message} ${info.action}`, slot.profile.name);
      this.set(slot, { state: 'error', error: info, progress: null });
      throw err;
    }
  }

  /** One operation per profile at a time; the monitor skips busy profiles. */
  private exclusive<T>(slot: Slot, fn: () => Promise<T>): Promise<T> {
    const run = slot.queue.then(async () => {
      slot.busy++;
      try {
        return await fn();
      } finally {
        slot.busy--;
      }
    });
    slot.queue = run.catch(() => undefined);
    return run;
  }

  private set(slot: Slot, patch: Partial<EngineSnapshot>): EngineSnapshot {
    if (patch.state && patch.state !== slot.snap.state) assertTransition(slot.profile.name, slot.snap.state, patch.state);
    slot.snap = { ...slot.snap, ...patch, updatedAt: Date.now() };
    this.emit(slot);
    return { ...slot.snap };
  }

  /** Progress is frequent (pull layers): at most ~10 updates a second reach subscribers. */
  private setProgress(slot: Slot, progress: NonNullable<EngineSnapshot['progress']>): void {
    slot.snap = { ...slot.snap, progress, updatedAt: Date.now() };
    const now = Date.now();
    if (now - slot.lastProgressEmit < 100 && progress.fraction !== 1) return;
    slot.lastProgressEmit = now;
    this.emit(slot);
  }

  private addWarning(slot: Slot, warning: string): void {
    if (slot.snap.warnings.includes(warning)) return;
    this.note(`${slot.profile.name}: warning: ${warning}`, slot.profile.name);
    this.set(slot, { warnings: [...slot.snap.warnings, warning] });
  }

  private emit(slot: Slot): void {
    if (slot.removed) return;
    const copy = { ...slot.snap };
    for (const l of this.listeners) {
      try {
        l(copy);
      } catch (e) {
        this.o.log?.(`engine state listener failed: ${(e as Error).message}`);
      }
    }
  }

  /** adstudio's own line in the engine's log (and the app log). */
  private note(message: string, profile?: string): void {
    if (profile) this.logs.add(profile, 'stderr', `[adstudio] ${message}`);
    this.o.log?.(message);
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) findProfile(this.profiles(), name); // throws the helpful not-found
    return s!;
  }

  private newSlot(p: EngineProfile): Slot {
    return {
      profile: p,
      queue: Promise.resolve(),
      busy: 0,
      startedHere: false,
      stoppingHere: false,
      failedChecks: 0,
      lastProgressEmit: 0,
      removed: false,
      token: null,
      snap: {
        profile: p.name,
        title: p.title,
        protocol: p.protocol,
        state: 'absent',
        health: null,
        port: p.hostPort,
        url: engineUrl(p.hostPort),
        containerId: null,
        containerName: null,
        image: p.image,
        imageSize: null,
        diskFree: null,
        gpu: p.gpu,
        network: null,
        adopted: false,
        progress: null,
        error: null,
        warnings: [],
        updatedAt: 0,
      },
    };
  }
}

/** Profiles are plain data: equal JSON = nothing to do. */
function sameProfile(a: EngineProfile, b: EngineProfile): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isUp(c: ContainerSummary): boolean {
  return c.status === 'running' || c.status === 'restarting';
}

function health(h: HealthResult): EngineSnapshot['health'] {
  return { ok: h.ok, detail: h.detail, checkedAt: Date.now() };
}
