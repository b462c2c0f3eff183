import type { AppErrorShape, ErrorCode, Result } from '../../../preload/contract/errors';
import { ERROR_CODES } from '../../../preload/contract/errors';

/** An AppError that crossed the boundary (or happened here), with the code kept for the UI. */
export class UiError extends Error implements AppErrorShape {
  constructor(
    public readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UiError';
  }
}

/** Results are never thrown across IPC; inside the renderer a failed call becomes a UiError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new UiError(result.error.code, result.error.message);
}

export function toErrorShape(err: unknown): AppErrorShape {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const code = String((err as { code: unknown }).code);
    const message = String((err as { message: unknown }).message);
    return { code: (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'internal', message };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
