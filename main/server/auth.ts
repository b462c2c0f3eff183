import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../preload/contract/index.js';

/** 32 random bytes, URL-safe: goes into the printed link and a cookie unchanged. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,256}$/;

export function assertUsableToken(token: string): void {
  if (!TOKEN_SHAPE.test(token)) {
    throw new AppError('bad-request', 'The access token must be 16–256 URL-safe characters (A–Z, a–z, 0–9, ".", "_", "~", "-").');
  }
}

/** Constant-time: hashing first makes both sides the same length, so nothing leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Cookies are not port-specific, so two editors on one host each get their own cookie name. */
export function cookieName(port: number): string {
  return `adstudio_token_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Token from the `?token=` query or the session cookie; whichever is present and matches. */
export function isAuthorized(req: IncomingMessage, url: URL, port: number, token: string): boolean {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && tokensEqual(fromQuery, token)) return true;
  const fromCookie = readCookie(req, cookieName(port));
  return fromCookie !== null && tokensEqual(fromCookie, token);
}
