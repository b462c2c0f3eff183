import { join } from 'node:path';
import type { TailResult } from './log-tail.js';
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

/** Lines for the full log viewer, and whether older ones exist. */
export interface EngineLogTail {
  lines: EngineLogLine[];
  more: boolean;
}

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
  /** Replayed lines (shown, never written: the file has them from the session that saw them first). */
  private readonly replayed = new WeakSet<EngineLogLine>();

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
   * The last `limit` lines from the log files on disk (the current one, then the rotated ones), read
   * from the end; memory keeps only the last few hundred. Replayed history the files lack (a container
   * adopted with a fresh data folder) is merged in by time. Memory alone when there is no file yet or
   * it cannot be read.
   */
  async tail(profile: string, limit: number): Promise<EngineLogTail> {
    const memory = this.lines(profile);
    const fromMemory = (): EngineLogTail => ({ lines: memory.slice(-limit), more: memory.length > limit });
    let disk: TailResult;
    try {
      disk = await this.file(profile).tail(limit);
    } catch (e) {
      this.warn(`engine log ${this.fileFor(profile)} cannot be read (${(e as Error).message}); showing the lines in memory`);
      return fromMemory();
    }
    if (disk.lines.length === 0) return fromMemory();
    const written = parseLogFile(profile, disk.lines);
    const onDisk = new Set(written.map((l) => l.text));
    const missing = memory.filter((l) => this.replayed.has(l) && !onDisk.has(l.text));
    const merged = missing.length ? mergeByTime(written, missing) : written;
    return { lines: merged.slice(-limit), more: disk.more || merged.length > limit };
  }

  /**
   * Also used for adstudio's own notes about the engine ("creating container…"), so the log tells the
   * whole story. History (a replayed tail) is shown but not written again: the file has it already.
   */
  add(profile: string, stream: 'stdout' | 'stderr', text: string, history = false): void {
    const line: EngineLogLine = { profile, stream, text, at: Date.now() };
    if (history) this.replayed.add(line);
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

const FILE_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (stdout|stderr) ?(.*)$/s;

/**
 * Lines as add() writes them ("<ISO time> <stream> <text>") back into log lines. A line in another
 * shape (the rest of a multi-line note, a hand edit) keeps the time and stream of the one before.
 */
export function parseLogFile(profile: string, raw: readonly string[]): EngineLogLine[] {
  let at = 0;
  let stream: EngineLogLine['stream'] = 'stdout';
  return raw.map((r) => {
    const m = FILE_LINE.exec(r);
    if (!m) return { profile, stream, text: r, at };
    at = Date.parse(m[1]!);
    stream = m[2] as EngineLogLine['stream'];
    return { profile, stream, text: m[3]!, at };
  });
}

/** Two time-ordered lists as one; on equal times the first list's line comes first. */
function mergeByTime(a: readonly EngineLogLine[], b: readonly EngineLogLine[]): EngineLogLine[] {
  const out: EngineLogLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.at <= b[j]!.at)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
