import { ERROR_CODES, type AppErrorShape, type ErrorCode, type Result } from '../../../preload/contract/errors';

/**
 * The renderer's error: same code + message shape as main's AppError, so a failed API call and a
 * local failure (decode, size check) are shown the same way. (AppError lives in the contract but
 * the renderer keeps its own class so `instanceof` works for errors created on this side.)
 */
export class RendererError extends Error implements AppErrorShape {
  constructor(
    public readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RendererError';
  }

  static from(error: unknown, fallback: ErrorCode = 'internal'): RendererError {
    if (error instanceof RendererError) return error;
    if (isErrorShape(error)) return new RendererError(error.code, error.message);
    return new RendererError(fallback, error instanceof Error ? error.message : String(error));
  }
}

/** The value of an API result, or the error thrown as a RendererError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new RendererError(result.error.code, result.error.message);
}

function isErrorShape(e: unknown): e is AppErrorShape {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as Partial<AppErrorShape>;
  return typeof message === 'string' && (ERROR_CODES as readonly unknown[]).includes(code);
}
