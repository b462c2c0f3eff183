import type { z } from 'zod';
import { AppError, ERROR_CODES, invokeChannels, isInvokeName } from '../../../preload/contract/index.js';
import type { AppErrorShape, ErrorCode, Handlers, Result } from '../../../preload/contract/index.js';

/** Where unexpected errors go (stderr by default); tests inject their own. */
export type ErrorLog = (message: string) => void;

const stderrLog: ErrorLog = (message) => process.stderr.write(`${message}\n`);

/**
 * Transport-neutral request handling shared by Electron IPC and the browser bridge:
 * channel lookup → schema parse → handler → Result. Never throws and never leaks a stack trace.
 */
export async function dispatch(
  handlers: Handlers,
  channelName: string,
  rawPayload: unknown,
  log: ErrorLog = stderrLog,
): Promise<Result<unknown>> {
  if (typeof channelName !== 'string' || !isInvokeName(channelName)) {
    return fail('bad-request', `unknown channel "${printable(channelName)}"`);
  }
  const schema: z.ZodType = invokeChannels[channelName].request;
  const parsed = schema.safeParse(rawPayload);
  if (!parsed.success) return fail('bad-request', describeIssues(channelName, parsed.error.issues));

  const handler = handlers[channelName] as unknown as ((request: unknown) => Promise<unknown>) | undefined;
  if (typeof handler !== 'function') {
    log(`adstudio: no handler registered for channel "${channelName}"`);
    return fail('internal', `"${channelName}" is not available in this build of adstudio.`);
  }
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (isAppError(err)) return { ok: false, error: { code: err.code, message: err.message } };
    log(`adstudio: unexpected error in "${channelName}": ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fail('internal', `Something went wrong inside adstudio while handling "${channelName}". The details were written to the log.`);
  }
}

/** AppError by class, or by shape (a copy of the class from another bundle/worker still counts). */
export function isAppError(err: unknown): err is AppErrorShape & Error {
  if (err instanceof AppError) return true;
  if (!(err instanceof Error) || err.name !== 'AppError') return false;
  const code: unknown = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

const MAX_LISTED_ISSUES = 3;

/** "invalid request for putAsset: kind: Invalid option: expected one of "image"|"mask"; bytes: ..." */
function describeIssues(channel: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map((p) => String(p)).join('.') : '(payload)';
    return `${field}: ${issue.message}`;
  });
  const more = issues.length > MAX_LISTED_ISSUES ? ` (and ${issues.length - MAX_LISTED_ISSUES} more)` : '';
  return `invalid request for ${channel}: ${parts.join('; ')}${more}`;
}

function printable(value: unknown): string {
  if (typeof value !== 'string') return `<${typeof value}>`;
  return value.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
}
