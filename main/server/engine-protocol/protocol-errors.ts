import { AppError, type AppErrorShape, type ErrorCode } from '../../../preload/contract/index.js';
import { ModelConflict } from '../../core/scheduler/model-arbiter.js';

/**
 * Error codes → HTTP statuses of the engine protocol. The body is always `{error: {code, message}}`
 * with a code from preload/contract/errors.ts, so a client maps an answer back to the same AppError.
 */
const STATUS: Record<ErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  'path-denied': 403,
  'not-found': 404,
  cancelled: 409,
  'too-large': 413,
  'bad-image': 422,
  'size-mismatch': 422,
  'newer-version': 422,
  'bad-project': 422,
  unsupported: 501,
  io: 500,
  engine: 500,
  internal: 500,
  'engine-busy': 503,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code];
}

/**
 * An error with an explicit HTTP status where the code alone says too little: 409 "model not
 * resident" is an `engine` error the remote scheduler answers by loading the model first.
 */
export class ProtocolError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(code, message);
  }
}

export function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function statusOf(e: unknown): number {
  if (e instanceof ProtocolError) return e.status;
  // A load that does not fit, an unload of a model in use: a conflict with what runs now, not an outage.
  if (e instanceof ModelConflict) return 409;
  if (e instanceof AppError) return statusFor(e.code);
  return 500;
}
