import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, EMBEDDED_JOB_ENGINE, type EngineSnapshotPayload, type JobEngineViewPayload } from '../../../preload/contract/index.js';
import type { EnginesPort, JobEndpoint } from '../engines/engines-port.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import type { SchedulerHub } from './scheduler-hub.js';
import type { SchedulerPort } from './scheduler-handlers.js';

/** What the services need: the view, the choice, its changes. */
export interface JobEnginePort {
  view(): JobEngineViewPayload;
  choose(choice: string): Promise<JobEngineViewPayload>;
  subscribe(listener: (view: JobEngineViewPayload) => void): () => void;
  close(): Promise<void>;
}

export interface JobEngineChoiceOptions {
  /** Its base member (the embedded or simulated engine) takes the jobs whenever the chosen engine cannot. */
  hub: SchedulerHub;
  engines: EnginesPort | undefined;
  /** A scheduler over a healthy container engine (its own job records and workspace). */
  connect(endpoint: JobEndpoint): Promise<SchedulerPort & { workspace: string }>;
  /** <data dir>/job-engine.json: the choice, kept across restarts. */
  file: string;
  log?: (message: string) => void;
}

const choiceFileSchema = z.object({ choice: z.string().min(1).max(64) });

export function jobEngineFile(dataDir: string): string {
  return join(dataDir, 'job-engine.json');
}

/**
 * "Run jobs on" (DESIGN.md §1.3): the embedded engine, or a container engine profile. A chosen
 * container takes new jobs while it is healthy — its scheduler is connected when it becomes healthy
 * (after an app restart too, which picks up the jobs still running in it) — and the embedded engine
 * takes them whenever it is not, with a status that says so. Jobs already given to an engine stay there.
 */
export class JobEngineChoice implements JobEnginePort {
  private choice = EMBEDDED_JOB_ENGINE;
  private status: JobEngineViewPayload['status'] = 'embedded';
  private message: string | null = null;
  /** The container whose scheduler is in the hub, per profile (a new container id needs a new connection). */
  private readonly connected = new Map<string, string>();
  private readonly listeners = new Set<(view: JobEngineViewPayload) => void>();
  private queue: Promise<void> = Promise.resolve();
  private offEngines: (() => void) | null = null;
  private closed = false;

  private constructor(private readonly o: JobEngineChoiceOptions) {}

  /** Reads the saved choice and starts following the chosen engine's state (never blocks on Docker). */
  static async open(o: JobEngineChoiceOptions): Promise<JobEngineChoice> {
    const c = new JobEngineChoice(o);
    c.choice = (await readChoice(o.file, o.log)) ?? EMBEDDED_JOB_ENGINE;
    c.offEngines = o.engines?.subscribe((snap) => c.onSnapshot(snap)) ?? null;
    c.schedule();
    if (c.choice !== EMBEDDED_JOB_ENGINE && o.engines && c.known(c.choice)) {
      // Look at Docker once in the background: a container left running reconnects (and its jobs with it).
      o.engines.refresh(c.choice).catch((e: unknown) => o.log?.(`job engine: could not look at ${c.choice}: ${(e as Error).message}`));
    }
    return c;
  }

  view(): JobEngineViewPayload {
    return {
      choice: this.choice,
      active: this.o.hub.port.engine,
      status: this.status,
      message: this.message,
      options: this.o.engines?.jobProfiles() ?? [],
    };
  }

  async choose(choice: string): Promise<JobEngineViewPayload> {
    if (this.closed) throw new AppError('cancelled', 'adstudio is shutting down');
    if (choice !== EMBEDDED_JOB_ENGINE && !this.known(choice)) {
      const names = [EMBEDDED_JOB_ENGINE, ...(this.o.engines?.jobProfiles() ?? []).map((p) => p.profile)];
      throw new AppError('bad-request', `Jobs cannot run on "${choice}": choose one of ${names.join(', ')}`);
    }
    await writeFileAtomic(this.o.file, `${JSON.stringify({ choice }, null, 2)}\n`, { mkdir: true });
    this.choice = choice;
    await this.schedule();
    return this.view();
  }

  subscribe(listener: (view: JobEngineViewPayload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offEngines?.();
    this.listeners.clear();
    await this.queue;
  }

  private known(profile: string): boolean {
    return (this.o.engines?.jobProfiles() ?? []).some((p) => p.profile === profile);
  }

  private onSnapshot(snap: EngineSnapshotPayload): void {
    if (snap.profile !== this.choice) return;
    const connectedTo = this.connected.get(snap.profile);
    const healthy = snap.state === 'healthy' && snap.containerId !== null;
    // Nothing to do while a healthy engine stays connected to the same container.
    if (healthy && connectedTo === snap.containerId && this.status === 'connected') return;
    void this.schedule();
  }

  /** One sync at a time, in order: choices and engine changes can arrive together. */
  private schedule(): Promise<void> {
    this.queue = this.queue.then(() => this.sync()).catch((e: unknown) => this.o.log?.(`job engine: ${(e as Error).message}`));
    return this.queue;
  }

  private async sync(): Promise<void> {
    if (this.closed) return;
    const { hub, engines } = this.o;
    const { baseKey } = hub;
    const choice = this.choice;
    if (choice === EMBEDDED_JOB_ENGINE) return this.set('embedded', null, baseKey);
    if (!engines || !this.known(choice)) {
      return this.set('error', `There is no engine profile "${choice}" that can run jobs; new jobs run on the embedded engine.`, baseKey);
    }
    const snap = engines.snapshot(choice);
    if (snap.state !== 'healthy' || !snap.containerId) {
      const why = snap.error ? `${snap.error.message} ` : '';
      return this.set('waiting', `${why}${snap.title} is ${snap.state}: new jobs run on the embedded engine until it is healthy.`, baseKey);
    }
    if (this.connected.get(choice) === snap.containerId && hub.has(choice)) return this.set('connected', null, choice);
    // Another container than the one connected (recreated, or restarted by hand): a fresh connection.
    if (hub.has(choice)) {
      await hub.remove(choice);
      this.connected.delete(choice);
    }
    this.set('connecting', null, baseKey);
    try {
      const endpoint = await engines.jobEndpoint(choice);
      if (!endpoint) throw new AppError('engine', `${snap.title} has no running container any more`);
      const port = await this.o.connect(endpoint);
      if (this.closed) {
        await port.scheduler.close();
        await port.close?.();
        return;
      }
      hub.add(choice, port);
      this.connected.set(choice, endpoint.containerId);
      this.o.log?.(`job engine: new jobs run on ${choice} (${endpoint.url})`);
      // The choice may have changed while connecting: the next sync (queued) puts it right.
      this.set('connected', null, this.choice === choice ? choice : baseKey);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.set('error', `Could not connect to ${snap.title}: ${message}. New jobs run on the embedded engine.`, baseKey);
    }
  }

  private set(status: JobEngineViewPayload['status'], message: string | null, activeKey: string): void {
    const before = JSON.stringify(this.view());
    this.o.hub.activate(activeKey);
    this.status = status;
    this.message = message;
    const view = this.view();
    // Engine state changes come in bursts (health progress): tell only what changed.
    if (JSON.stringify(view) === before) return;
    for (const l of this.listeners) {
      try {
        l(view);
      } catch (e) {
        this.o.log?.(`job engine: a listener failed: ${(e as Error).message}`);
      }
    }
  }
}

async function readChoice(file: string, log?: (m: string) => void): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log?.(`job engine: cannot read ${file} (${(e as Error).message}); using the embedded engine`);
    return null;
  }
  try {
    return choiceFileSchema.parse(JSON.parse(text)).choice;
  } catch {
    log?.(`job engine: ${file} is not a valid choice; using the embedded engine`);
    return null;
  }
}
