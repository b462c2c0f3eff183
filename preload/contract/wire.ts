import type { Result } from './errors.js';

/**
 * Browser-bridge wire format (WebSocket at BRIDGE_RPC_PATH). Shared by the server and the renderer,
 * so it uses only TextEncoder/TextDecoder and typed arrays.
 *
 * - Text frame: the message as JSON. Used when the message carries no bytes.
 * - Binary frame: [u32 big-endian header length][header JSON, UTF-8][attachment bytes, concatenated].
 *   Header = {"sizes":[n0,n1,...],"body":<message>} where every Uint8Array in the message was replaced
 *   by {"$bytes": i}. Bytes travel raw (no base64) and decode as zero-copy views.
 *
 * Messages: client → server {id, channel, payload?}; server → client {id, result} or {event, payload}.
 */
export const BRIDGE_RPC_PATH = '/rpc';

export type WireId = number | string;
export interface WireRequest {
  id: WireId;
  channel: string;
  payload?: unknown;
}
export interface WireResponse {
  id: WireId | null;
  result: Result<unknown>;
}
export interface WireEvent {
  event: string;
  payload: unknown;
}

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeWire(message: unknown): string | Uint8Array {
  const attachments: Uint8Array[] = [];
  const body = JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    // `this[key]` is the raw value: Buffer.toJSON has already run on `value`.
    const raw = this[key];
    if (raw instanceof Uint8Array) {
      attachments.push(raw);
      return { $bytes: attachments.length - 1 };
    }
    return value;
  });
  if (body === undefined) throw new WireError('message is not JSON-serialisable');
  if (attachments.length === 0) return body;

  const sizes = attachments.map((a) => a.byteLength);
  const header = encoder.encode(`{"sizes":${JSON.stringify(sizes)},"body":${body}}`);
  const total = 4 + header.byteLength + sizes.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.byteLength, false);
  out.set(header, 4);
  let offset = 4 + header.byteLength;
  for (const a of attachments) {
    out.set(a, offset);
    offset += a.byteLength;
  }
  return out;
}

/** Parses a frame; throws WireError on anything malformed (never returns half-decoded data). */
export function decodeWire(data: string | Uint8Array): unknown {
  if (typeof data === 'string') return parseJson(data);

  if (data.byteLength < 4) throw new WireError('binary frame shorter than its 4-byte header length');
  const headerLength = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, false);
  if (headerLength > data.byteLength - 4) throw new WireError('binary frame header length exceeds the frame');
  let headerText: string;
  try {
    headerText = decoder.decode(data.subarray(4, 4 + headerLength));
  } catch {
    throw new WireError('binary frame header is not valid UTF-8');
  }
  const header = parseJson(headerText);
  if (typeof header !== 'object' || header === null || !('sizes' in header) || !('body' in header)) {
    throw new WireError('binary frame header must be {"sizes": [...], "body": ...}');
  }
  const sizes = header.sizes;
  if (!Array.isArray(sizes) || !sizes.every((n): n is number => Number.isSafeInteger(n) && n >= 0)) {
    throw new WireError('binary frame "sizes" must be an array of byte counts');
  }
  const start = 4 + headerLength;
  if (sizes.reduce((a, b) => a + b, 0) !== data.byteLength - start) {
    throw new WireError('binary frame attachment sizes do not add up to the frame length');
  }
  const views: Uint8Array[] = [];
  let offset = start;
  for (const n of sizes) {
    views.push(data.subarray(offset, offset + n));
    offset += n;
  }
  return revive(header.body, views);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WireError('frame is not valid JSON');
  }
}

/** Replaces {"$bytes": i} placeholders by their attachment (absurdly deep JSON throws RangeError; callers treat any throw as malformed). */
function revive(value: unknown, views: Uint8Array[]): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v, views));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$bytes') {
    const index = (value as { $bytes: unknown }).$bytes;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= views.length) {
      throw new WireError(`binary frame references missing attachment ${String(index)}`);
    }
    return views[index];
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    // defineProperty: a "__proto__" key stays an own data property instead of changing the prototype.
    Object.defineProperty(out, k, { value: revive((value as Record<string, unknown>)[k], views), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
