import { mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readLastLines, type TailResult } from './log-tail.js';

export interface RotatingLogOptions {
  /** Rotate when the file would grow past this (default 2 MB). */
  maxBytes?: number;
  /** Rotated files kept: name.1 (newest) … name.N (default 3). */
  keep?: number;
}

/**
 * An append-only log file that rotates by size: engine.log → engine.log.1 → … → engine.log.N, the
 * oldest dropped. Writes are queued (never interleaved) and a failing disk never throws into the
 * caller: logging must not take the engine down. `flush()` waits for queued writes.
 */
export class RotatingLog {
  private size: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly maxBytes: number;
  private readonly keep: number;
  private warned = false;

  constructor(
    readonly file: string,
    options: RotatingLogOptions = {},
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 3);
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.size = statSync(file).size;
    } catch {
      this.size = 0;
    }
  }

  write(line: string): void {
    const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
    this.queue = this.queue.then(async () => {
      try {
        if (this.size > 0 && this.size + data.length > this.maxBytes) this.rotate();
        await appendFile(this.file, data);
        this.size += data.length;
      } catch (e) {
        if (!this.warned) this.onError(`engine log ${this.file}: ${(e as Error).message}`);
        this.warned = true;
      }
    });
  }

  flush(): Promise<void> {
    return this.queue;
  }

  /**
   * The last `limit` lines on disk, across the rotated files as needed (read from the end, not whole).
   * Queued behind the writes, so every line written before the call is in it and no rotation moves a
   * file while it is read.
   */
  tail(limit: number): Promise<TailResult> {
    const read = this.queue.then(() => readLastLines(this.files(), limit));
    this.queue = read.then(
      () => undefined,
      () => undefined,
    );
    return read;
  }

  /** The current file and the rotated ones, newest first. */
  files(): string[] {
    return [this.file, ...Array.from({ length: this.keep }, (_, i) => `${this.file}.${i + 1}`)];
  }

  private rotate(): void {
    const oldest = `${this.file}.${this.keep}`;
    try {
      unlinkSync(oldest);
    } catch {
      // not there yet
    }
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // gaps are fine
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}
