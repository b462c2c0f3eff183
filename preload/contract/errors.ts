/** Error codes every side understands. Messages are for people; codes are for code. */
export const ERROR_CODES = [
  'bad-request', // payload failed schema validation
  'unauthorized', // missing/wrong token, untrusted sender
  'not-found',
  'unsupported', // e.g. a native dialog in browser mode
  'bad-image', // corrupt, truncated, empty, unsupported format
  'too-large', // pixel or byte limit exceeded
  'size-mismatch', // mask size differs from image size
  'newer-version', // project written by a newer adstudio
  'bad-project',
  'path-denied', // path outside allowed roots
  'io', // read-only folder, disk full, ...
  'cancelled',
  'engine', // engine failure
  'engine-busy', // transient: the engine is busy or the connection dropped; retry later
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** Thrown by main-side handlers; turned into `{ok:false,error}` by the dispatcher. */
export class AppError extends Error implements AppErrorShape {
  constructor(
    public readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
