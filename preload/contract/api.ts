import type { Result } from './errors.js';
import type { z } from 'zod';
import type { EventName, EventPayload, InvokeChannels, InvokeName, RequestOf, ResponseOf } from './channels.js';

/** One named function per invoke channel; results are never thrown across the boundary. */
export type InvokeApi = {
  [K in InvokeName]: RequestOf<K> extends undefined
    ? () => Promise<Result<ResponseOf<K>>>
    : (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
};

/** What the renderer sees as `window.adstudio` (Electron preload) or its browser-bridge twin. */
export interface AdstudioApi extends InvokeApi {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Main-side handler table: receives parsed requests, returns values, throws AppError. */
export type Handlers = {
  [K in InvokeName]: (request: ResponseOfRequest<K>) => Promise<ResponseOf<K>>;
};
type ResponseOfRequest<K extends InvokeName> = z.output<InvokeChannels[K]['request']>;

/** How main-side services publish events to every connected renderer. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
