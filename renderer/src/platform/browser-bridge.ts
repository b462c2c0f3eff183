import type { AdstudioApi } from '../../../preload/contract/api';
import type { AppErrorShape, Result } from '../../../preload/contract/errors';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../../../preload/contract/names';
import { decodeWire, encodeWire } from '../../../preload/contract/wire';
import type { ConnectionMonitor, ConnectionStatus } from './types';

/*
 * The browser-mode twin of the Electron preload: the same named functions and events, carried over
 * the WebSocket at /rpc. No DOM types here (the socket is an adapter), so it also runs under Node.
 */

/** What the bridge needs from a socket; browser-platform.ts adapts a DOM WebSocket to it. */
export interface BridgeSocket {
  send(frame: string | Uint8Array): void;
  close(): void;
}
export interface BridgeSocketEvents {
  open(): void;
  message(frame: string | Uint8Array): void;
  /** Also called when a connection attempt fails (browsers report no reason for those). */
  close(code: number): void;
}
export type OpenSocket = (events: BridgeSocketEvents) => BridgeSocket;

export interface BrowserBridgeOptions {
  openSocket: OpenSocket;
  /** After a failed attempt: does the server still accept our credentials? false → 'unauthorized'. */
  checkAuthorized?: () => Promise<boolean>;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** 0..1; jitter so many tabs do not reconnect in lockstep. */
  random?: () => number;
  onProtocolError?: (message: string) => void;
}

export interface BrowserBridge {
  api: AdstudioApi;
  connection: ConnectionMonitor;
  /**
   * Settles after the first attempt, open or not (and after the token check when it failed):
   * afterwards requests either go or fail fast, and connection.current() says why.
   */
  ready: Promise<void>;
  close(): void;
}

type Pending = (result: Result<unknown>) => void;
type Listener = (payload: unknown) => void;

const NOT_CONNECTED: AppErrorShape = {
  code: 'io',
  message: 'Not connected to the adstudio server; reconnecting. Try again in a moment. / 서버와 연결이 끊겨 다시 연결하는 중입니다. 잠시 후 다시 시도하세요.',
};
const LOST_IN_FLIGHT: AppErrorShape = {
  code: 'io',
  message: 'The connection to the adstudio server was lost before it answered; the action may not have finished. / 응답을 받기 전에 서버 연결이 끊겼습니다.',
};

export function createBrowserBridge(options: BrowserBridgeOptions): BrowserBridge {
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;
  const protocolError = options.onProtocolError ?? ((m: string) => console.warn(`adstudio bridge: ${m}`));

  let status: ConnectionStatus = { state: 'connecting', attempt: 0 };
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const eventListeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, Pending>();
  let socket: BridgeSocket | null = null;
  let isOpen = false;
  let shutDown = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const l of [...statusListeners]) l(status);
  }

  function connect(): void {
    retryTimer = null;
    if (shutDown) return;
    let current: BridgeSocket | null = null;
    let closed = false;
    current = options.openSocket({
      open() {
        if (closed || shutDown) return;
        isOpen = true;
        setStatus({ state: 'open', attempt: 0 });
        markReady();
      },
      message(frame) {
        if (!closed) receive(frame);
      },
      close() {
        if (closed) return;
        closed = true;
        if (socket === current) socket = null;
        isOpen = false;
        failPending(LOST_IN_FLIGHT);
        // After the token check, so a first failure already reads 'unauthorized' when that is why.
        if (shutDown) markReady();
        else void scheduleReconnect().finally(markReady);
      },
    });
    socket = current;
  }

  async function scheduleReconnect(): Promise<void> {
    const attempt = status.attempt + 1;
    const delay = jitter(Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 20)));
    setStatus({ state: 'reconnecting', attempt, retryInMs: delay });
    retryTimer = setTimeout(connect, delay);
    if (!options.checkAuthorized) return;
    const authorized = await options.checkAuthorized().catch(() => true);
    // Still waiting for the same retry? Then a rejected token means: slow down and tell the user.
    if (!authorized && !shutDown && retryTimer && status.attempt === attempt) {
      clearTimeout(retryTimer);
      const slow = jitter(maxDelay);
      setStatus({ state: 'unauthorized', attempt, retryInMs: slow });
      retryTimer = setTimeout(connect, slow);
    }
  }

  function jitter(ms: number): number {
    return Math.round(ms * (0.5 + random() / 2));
  }

  function receive(frame: string | Uint8Array): void {
    let message: unknown;
    try {
      message = decodeWire(frame);
    } catch (err) {
      protocolError(`ignored a malformed frame from the server: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (typeof message !== 'object' || message === null) return protocolError('ignored a non-object message');
    const m = message as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.event === 'string') {
      for (const l of [...(eventListeners.get(m.event) ?? [])]) {
        try {
          l(m.payload);
        } catch (err) {
          console.error(`adstudio bridge: a "${m.event}" listener threw`, err);
        }
      }
      return;
    }
    const resolve = typeof m.id === 'number' ? pending.get(m.id) : undefined;
    if (!resolve) return protocolError(`ignored an answer to unknown request ${String(m.id)}`);
    pending.delete(m.id as number);
    resolve(isResult(m.result) ? m.result : { ok: false, error: { code: 'internal', message: 'The server sent an answer the editor does not understand.' } });
  }

  function failPending(error: AppErrorShape): void {
    const waiting = [...pending.values()];
    pending.clear();
    for (const resolve of waiting) resolve({ ok: false, error });
  }

  function request(channel: string, payload: unknown): Promise<Result<unknown>> {
    if (!isOpen || !socket) return Promise.resolve({ ok: false, error: NOT_CONNECTED });
    const id = nextId++;
    let frame: string | Uint8Array;
    try {
      frame = encodeWire({ id, channel, payload });
    } catch (err) {
      return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `Could not send ${channel}: ${err instanceof Error ? err.message : String(err)}` } });
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket?.send(frame);
    });
  }

  const api: Record<string, unknown> = {};
  for (const name of INVOKE_CHANNEL_NAMES) api[name] = (payload?: unknown) => request(name, payload);
  api.on = (event: string, listener: Listener): (() => void) => {
    if (!(EVENT_CHANNEL_NAMES as readonly string[]).includes(event)) throw new Error(`adstudio: unknown event "${event}"`);
    if (typeof listener !== 'function') throw new Error('adstudio: on(event, listener) needs a function');
    let set = eventListeners.get(event);
    if (!set) eventListeners.set(event, (set = new Set()));
    const own: Listener = (payload) => listener(payload);
    set.add(own);
    return () => {
      set.delete(own);
    };
  };

  connect();
  return {
    api: Object.freeze(api) as unknown as AdstudioApi,
    ready,
    connection: {
      current: () => status,
      subscribe(listener) {
        statusListeners.add(listener);
        return () => {
          statusListeners.delete(listener);
        };
      },
    },
    close() {
      if (shutDown) return;
      shutDown = true;
      if (retryTimer) clearTimeout(retryTimer);
      isOpen = false;
      failPending(LOST_IN_FLIGHT);
      socket?.close();
      socket = null;
      setStatus({ state: 'closed', attempt: status.attempt });
      markReady();
    },
  };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  // A value of undefined does not survive JSON; ok:true alone is still a valid answer.
  if (r.ok === true) return true;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}
