/** What commands may touch of the outside world; tests pass fakes, the real CLI passes the process's. */
export interface CliStream {
  write(text: string): unknown;
  /** True when a person watches (progress bars instead of lines). */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Relative paths on the command line resolve against this. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** A mistake in how the command was called (exit code 2, with a usage hint). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Command whose usage to show; undefined = the top-level usage. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
