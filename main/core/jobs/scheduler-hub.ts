import { AppError } from '../../../preload/contract/index.js';
import type { JobRecord, JobScheduler, JobSpec, MemoryView, SchedulerEvent } from '../scheduler/scheduler-types.js';
import type { ScheduledTarget, SchedulerPort } from './scheduler-handlers.js';

/** One engine's scheduler inside the hub: the embedded one, or one per container engine. */
interface Member {
  key: string;
  port: SchedulerPort & { workspace: string };
  off: () => void;
}

/**
 * Several stage schedulers behind one SchedulerPort — one per engine the app has driven (the embedded
 * engine always; a container engine while it is chosen and healthy). New jobs go to the active one;
 * the Jobs panel sees every job of every member (each record says which engine runs it); cancel and
 * retry go to the job's own scheduler. Only the active member's memory reaches the VRAM bar, so it
 * shows the engine new work goes to.
 */
export class SchedulerHub {
  private readonly members = new Map<string, Member>();
  private readonly listeners = new Set<(event: SchedulerEvent) => void>();
  private activeKey: string;
  private closed: Promise<void> | null = null;

  /** The member that is always there (the embedded or simulated engine): where jobs go when no other can take them. */
  constructor(
    base: SchedulerPort & { workspace: string },
    readonly baseKey = 'base',
  ) {
    this.activeKey = baseKey;
    this.add(baseKey, base);
  }

  /** The facade the services use: a JobScheduler over all members, and the active member's engine and workspace. */
  readonly port: SchedulerPort = portOf(this.facade(), () => this.target(), () => this.close());

  /** Where a job starting now runs: one consistent snapshot of the active member. */
  target(): ScheduledTarget {
    const { port } = this.active();
    return { scheduler: port.scheduler, workspace: port.workspace, engine: port.engine };
  }

  has(key: string): boolean {
    return this.members.has(key);
  }

  /** Adds an engine's scheduler; its jobs show at once. A key already there is refused. */
  add(key: string, port: SchedulerPort & { workspace: string }): void {
    if (this.closed) throw new AppError('cancelled', 'adstudio is shutting down');
    if (this.members.has(key)) throw new AppError('bad-request', `The job engine "${key}" is already connected`);
    const off = port.scheduler.subscribe((event) => {
      if (event.type === 'memory' && this.activeKey !== key) return;
      this.emit(event.type === 'job' ? { type: 'job', job: this.tag(event.job, port.engine) } : event);
    });
    this.members.set(key, { key, port, off });
  }

  /** New jobs go to this member from now on (jobs already queued stay where they are). */
  activate(key: string): void {
    if (!this.members.has(key)) throw new AppError('not-found', `There is no job engine "${key}"`);
    if (this.activeKey === key) return;
    this.activeKey = key;
    this.emit({ type: 'memory', memory: this.active().port.scheduler.memory() });
  }

  /**
   * Closes a member (its running stages are cancelled or finish, its records stay on disk for the
   * next connection). The base member cannot be removed; removing the active one activates the base.
   */
  async remove(key: string): Promise<void> {
    if (key === this.baseKey) throw new AppError('bad-request', 'The embedded engine\'s scheduler stays while adstudio runs');
    const member = this.members.get(key);
    if (!member) return;
    if (this.activeKey === key) this.activate(this.baseKey);
    this.members.delete(key);
    member.off();
    await closePort(member.port);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const all = [...this.members.values()].reverse();
      this.members.clear();
      for (const m of all) {
        m.off();
        await closePort(m.port).catch((e: unknown) => console.warn(`jobs: closing the ${m.key} scheduler failed: ${(e as Error).message}`));
      }
      this.listeners.clear();
    })();
    return this.closed;
  }

  private active(): Member {
    const m = this.members.get(this.activeKey);
    if (!m) throw new AppError('cancelled', 'adstudio is shutting down; no job engine is connected');
    return m;
  }

  private owner(jobId: string): Member | null {
    for (const m of this.members.values()) if (m.port.scheduler.get(jobId)) return m;
    return null;
  }

  private tag(record: JobRecord, engine: string): JobRecord {
    return { ...record, engine };
  }

  private emit(event: SchedulerEvent): void {
    for (const l of this.listeners) l(event);
  }

  private facade(): JobScheduler {
    const unknownJob = (jobId: string) => new AppError('not-found', `There is no job ${jobId}`);
    return {
      submit: async (spec: JobSpec) => {
        const { port } = this.active();
        return this.tag(await port.scheduler.submit(spec), port.engine);
      },
      get: (jobId) => {
        const m = this.owner(jobId);
        const r = m?.port.scheduler.get(jobId);
        return m && r ? this.tag(r, m.port.engine) : null;
      },
      list: (filter) =>
        [...this.members.values()]
          .flatMap((m) => m.port.scheduler.list(filter).map((r) => this.tag(r, m.port.engine)))
          .sort((a, b) => b.createdAt - a.createdAt),
      cancel: async (jobId) => {
        const m = this.owner(jobId);
        if (!m) throw unknownJob(jobId);
        return this.tag(await m.port.scheduler.cancel(jobId), m.port.engine);
      },
      retry: async (jobId) => {
        const m = this.owner(jobId);
        if (!m) throw unknownJob(jobId);
        return this.tag(await m.port.scheduler.retry(jobId), m.port.engine);
      },
      memory: (): MemoryView => this.active().port.scheduler.memory(),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      close: () => this.close(),
    };
  }
}

/** A SchedulerPort whose engine and workspace are the active member's, read at each use. */
function portOf(scheduler: JobScheduler, target: () => ScheduledTarget, close: () => Promise<void>): SchedulerPort {
  return {
    scheduler,
    get engine() {
      return target().engine;
    },
    get workspace() {
      return target().workspace;
    },
    current: target,
    close,
  };
}

async function closePort(port: SchedulerPort): Promise<void> {
  await port.scheduler.close();
  await port.close?.();
}
