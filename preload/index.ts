import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { AdstudioApi } from './contract/api.js';
import type { Result } from './contract/errors.js';
import { CHANNEL_PREFIX, EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from './contract/names.js';

/*
 * The sandboxed preload: no logic, no schemas (names.ts pulls in no zod). The renderer gets one named
 * function per contract channel and on(event) for contract events — never ipcRenderer itself or a
 * generic invoke, so a compromised page cannot reach any other channel.
 */

export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createPreloadApi(ipc: PreloadIpc): AdstudioApi {
  const api: Record<string, unknown> = {};
  for (const name of INVOKE_CHANNEL_NAMES) {
    const channel = CHANNEL_PREFIX + name;
    api[name] = (payload?: unknown): Promise<Result<unknown>> =>
      (payload === undefined ? ipc.invoke(channel) : ipc.invoke(channel, payload)).then(
        (result: Result<unknown>) => result,
        // invoke rejects only when the payload cannot be cloned or main is going away.
        (err: unknown): Result<unknown> => ({
          ok: false,
          error: { code: 'bad-request', message: `Could not send ${name} to adstudio: ${err instanceof Error ? err.message : String(err)}` },
        }),
      );
  }
  api.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (!(EVENT_CHANNEL_NAMES as readonly string[]).includes(event)) throw new Error(`adstudio: unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new Error('adstudio: on(event, listener) needs a function');
    const channel = CHANNEL_PREFIX + event;
    // The IPC event (with its sender) stays here; the page only gets the payload.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  };
  return Object.freeze(api) as unknown as AdstudioApi;
}

contextBridge.exposeInMainWorld('adstudio', createPreloadApi(ipcRenderer));
