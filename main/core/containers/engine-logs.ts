import { join } from 'node:path';
import { RotatingLog } from './rotating-log.js';
import type { ContainerRuntime, LogFollower } from './runtime.js';

export interface EngineLogLine {
  profile: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** ms since epoch, when adstudio received it. */
  at: number;
}

export type LogListener = (line: EngineLogLine) => void;

interface Follow {
  containerId: string;
  follower: LogFollower;
}

/**
 * Container output per profile: followed from the daemon (demultiplexed by the runtime), kept as the
 * last lines in memory for the panel, appended to a rotated file for the full log viewer, and pushed
 * to listeners as it arrives.
 */
export class EngineLogs {
  private readonly recent = new Map<string, EngineLogLine[]>();
  private readonly files = new Map<string, RotatingLog>();
  private readonly follows = new Map<string, Follow>();
  private readonly listeners = new Set<LogListener>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly logDir: string,
    private readonly keepLines = 500,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  fileFor(profile: string): string {
    return join(this.logDir, `engine-${profile}.log`);
  }

  onLine(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lines(profile: string, limit = this.keepLines): EngineLogLine[] {
    return (this.recent.get(profile) ?? []).slice(-limit);
  }

  /**
   * Also used for adstudio's own notes about the engine ("creating container…"), so the log tells the
   * whole story. History (a replayed tail) is shown but not written again: the file has it already.
   */
  add(profile: string, stream: 'stdout' | 'stderr', text: string, history = false): void {
    const line: EngineLogLine = { profile, stream, text, at: Date.now() };
    const buf = this.recent.get(profile) ?? [];
    buf.push(line);
    if (buf.length > this.keepLines) buf.splice(0, buf.length - this.keepLines);
    this.recent.set(profile, buf);
    if (!history) this.file(profile).write(`${new Date(line.at).toISOString()} ${stream} ${text}`);
    for (const l of this.listeners) {
      try {
        l(line);
      } catch (e) {
        this.warn(`engine log listener failed: ${(e as Error).message}`);
      }
    }
  }

  isFollowing(profile: string, containerId: string): boolean {
    return this.follows.get(profile)?.containerId === containerId;
  }

  /** Follows a container's output (replacing any previous follow for the profile). */
  follow(profile: string, containerId: string, tail: number, onEnd: () => void): void {
    if (this.isFollowing(profile, containerId)) return;
    this.unfollow(profile);
    const follower = this.runtime.followLogs(containerId, {
      tail,
      onLine: (l) => this.add(profile, l.stream, l.text, l.history),
      onEnd: () => {
        if (this.follows.get(profile)?.follower === follower) this.follows.delete(profile);
        onEnd();
      },
    });
    this.follows.set(profile, { containerId, follower });
  }

  unfollow(profile: string): void {
    const f = this.follows.get(profile);
    if (!f) return;
    this.follows.delete(profile);
    f.follower.stop();
  }

  async close(): Promise<void> {
    for (const p of [...this.follows.keys()]) this.unfollow(p);
    await Promise.all([...this.files.values()].map((f) => f.flush()));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.flush()));
  }

  private file(profile: string): RotatingLog {
    let f = this.files.get(profile);
    if (!f) {
      f = new RotatingLog(this.fileFor(profile), {}, this.warn);
      this.files.set(profile, f);
    }
    return f;
  }
}
