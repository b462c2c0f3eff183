import type { RawData, WebSocket } from 'ws';
import type { Handlers } from '../../preload/contract/index.js';
import { decodeWire, encodeWire } from '../../preload/contract/wire.js';
import type { WireId, WireResponse } from '../../preload/contract/wire.js';
import { dispatch } from '../core/rpc/dispatch.js';
import type { ErrorLog } from '../core/rpc/dispatch.js';

/** Policy-violation close code: the client sent something that is not a bridge message. */
export const CLOSE_MALFORMED = 1008;

/**
 * Serves one authenticated WebSocket: each frame is a request {id, channel, payload}, answered by
 * {id, result} once its handler settles (answers may come out of order). A frame that is not a
 * request at all closes this connection with 1008; other clients are unaffected.
 */
export function serveRpcSocket(socket: WebSocket, handlers: Handlers, log: ErrorLog): void {
  socket.on('message', (data: RawData, isBinary: boolean) => {
    void handleFrame(socket, handlers, log, toBuffer(data), isBinary);
  });
  // Errors (bad UTF-8, oversized frame) make ws close the socket itself; just keep them off the process.
  socket.on('error', () => {});
}

async function handleFrame(socket: WebSocket, handlers: Handlers, log: ErrorLog, data: Buffer, isBinary: boolean): Promise<void> {
  let message: unknown;
  try {
    message = decodeWire(isBinary ? data : data.toString('utf8'));
  } catch (err) {
    socket.close(CLOSE_MALFORMED, closeReason(err instanceof Error && err.name === 'WireError' ? err.message : 'malformed frame'));
    return;
  }
  if (!isRecord(message) || !isWireId(message.id)) {
    socket.close(CLOSE_MALFORMED, 'expected {id, channel, payload}');
    return;
  }
  const { id } = message;
  const result = await dispatch(handlers, message.channel as string, message.payload, log);
  send(socket, { id, result }, log);
}

export function send(socket: WebSocket, message: WireResponse | { event: string; payload: unknown }, log: ErrorLog): void {
  if (socket.readyState !== socket.OPEN) return;
  let frame: string | Uint8Array;
  try {
    frame = encodeWire(message);
  } catch (err) {
    log(`adstudio: could not encode a bridge message: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (!('id' in message)) return;
    frame = encodeWire({ id: message.id, result: { ok: false, error: { code: 'internal', message: 'The result could not be sent to the editor.' } } });
  }
  socket.send(frame);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWireId(value: unknown): value is WireId {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && value.length > 0 && value.length <= 64);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Close reasons are limited to 123 bytes. */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 120 ? text : text.slice(0, 100);
}
