import { RendererError } from '../../assets/renderer-error';
import type { FxRequest, FxResponse } from './fx-protocol';

type Body = FxRequest extends infer R ? (R extends { type: 'cancel' } ? never : Omit<R, 'id'>) : never;
type Ok = Extract<FxResponse, { ok: true }>;

export interface FxTask<T> {
  promise: Promise<T>;
  /** Drop the request: the worker skips it if it has not started; the promise rejects 'cancelled'. */
  cancel(): void;
}

/**
 * Promise API over the ad effects worker (one module worker, created on first use). Bitmaps in a
 * request are cloned to the worker (the caller's stay usable); result bitmaps are transferred back.
 */
export class FxClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: unknown) => void }>();

  constructor(private readonly create: () => Worker = () => new Worker(new URL('./fx-worker.ts', import.meta.url), { type: 'module' })) {}

  run(body: Body): FxTask<Ok> {
    const id = this.nextId++;
    const promise = new Promise<Ok>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.getWorker().postMessage({ ...body, id } as FxRequest);
      } catch (err) {
        this.pending.delete(id);
        reject(RendererError.from(err, 'internal'));
      }
    });
    return {
      promise,
      cancel: () => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        this.worker?.postMessage({ type: 'cancel', id } satisfies FxRequest);
        p.reject(new RendererError('cancelled', 'the effect was no longer needed'));
      },
    };
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new RendererError('cancelled', 'the ad canvas closed'));
    this.pending.clear();
  }

  private getWorker(): Worker {
    if (this.worker) return this.worker;
    const w = this.create();
    w.onmessage = (event: MessageEvent<FxResponse>) => {
      const res = event.data;
      const p = this.pending.get(res.id);
      if (!p) {
        // Cancelled meanwhile: nobody will draw these.
        if (res.ok && res.kind === 'fx') {
          res.shadow?.bitmap.close();
          res.product?.bitmap.close();
        }
        return;
      }
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res);
      else p.reject(new RendererError(res.error.code, res.error.message));
    };
    w.onerror = (event) => {
      const err = new RendererError('internal', `the ad effects worker failed: ${event.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }
}
