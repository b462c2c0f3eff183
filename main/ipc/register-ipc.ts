import { CHANNEL_PREFIX, INVOKE_NAMES } from '../../preload/contract/index.js';
import type { EventSink, Handlers, Result } from '../../preload/contract/index.js';
import { isAppUrl } from '../app/app-url.js';
import { dispatch } from '../core/rpc/dispatch.js';
import type { ErrorLog } from '../core/rpc/dispatch.js';

/*
 * The only user of ipcMain. Every invoke: sender check → dispatch (schema parse → handler → Result).
 * Handlers never see the Electron event. Electron objects come in as the structural types below.
 */

export interface SenderContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export interface InvokeEventLike {
  readonly sender: SenderContents;
  readonly senderFrame: SenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

/**
 * webContents we created and loaded with our own app; only they may call main. Keyed by id (unique
 * for the process lifetime) so the check does not depend on Electron reusing one wrapper object.
 */
export class TrustedSenders {
  private readonly contents = new Map<number, SenderContents>();

  add(contents: SenderContents): void {
    const id = contents.id;
    this.contents.set(id, contents);
    contents.once('destroyed', () => this.contents.delete(id));
  }

  has(contents: SenderContents): boolean {
    return this.contents.has(contents.id) && !contents.isDestroyed();
  }

  list(): SenderContents[] {
    return [...this.contents.values()].filter((c) => !c.isDestroyed());
  }
}

/** Trusted webContents, its main frame (not an iframe), showing our app:// origin. */
export function isTrustedSender(event: InvokeEventLike, trusted: TrustedSenders): boolean {
  const frame = event.senderFrame;
  return trusted.has(event.sender) && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

const UNTRUSTED: Result<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'This request did not come from the adstudio window and was refused.' },
};

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike;
  handlers: Handlers;
  trusted: TrustedSenders;
  /** services.onEvent: events are forwarded to every trusted window. */
  onEvent?: (sink: EventSink) => () => void;
  log?: ErrorLog;
}

/** Registers one handler per contract channel; returns a function that removes them all. */
export function registerIpc({ ipcMain, handlers, trusted, onEvent, log = (m) => process.stderr.write(`${m}\n`) }: RegisterIpcOptions): () => void {
  for (const name of INVOKE_NAMES) {
    ipcMain.handle(CHANNEL_PREFIX + name, async (event, payload) => {
      if (!isTrustedSender(event, trusted)) {
        log(`adstudio: refused "${name}" from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        return UNTRUSTED;
      }
      return dispatch(handlers, name, payload, log);
    });
  }
  const unsubscribe = onEvent?.((event, payload) => {
    for (const contents of trusted.list()) contents.send(CHANNEL_PREFIX + event, payload);
  });
  return () => {
    unsubscribe?.();
    for (const name of INVOKE_NAMES) ipcMain.removeHandler(CHANNEL_PREFIX + name);
  };
}
