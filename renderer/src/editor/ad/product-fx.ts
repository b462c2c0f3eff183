import type { BackgroundRecord, ProductRecord } from '../../document/ad-records';
import type { Transform } from '../../../../preload/contract/document';
import type { FxClient } from './fx-client';
import type { PatchOut } from './fx-protocol';

/** A product's realism as drawable patches, and the transform they were made for. */
export interface ProductFxResult {
  key: string;
  transform: Transform;
  shadow: PatchOut | null;
  product: PatchOut | null;
}

export interface FxScene {
  width: number;
  height: number;
  background: BackgroundRecord | null;
}

/** Everything the pixels depend on: the same key means the same patches. */
export function fxKey(p: ProductRecord, scene: FxScene): string {
  const { asset, shadow, tone, edge } = p.props;
  const bg = scene.background ? `${scene.background.props.asset}:${scene.background.props.fit}` : 'none';
  return JSON.stringify([asset, p.transform, p.opacity, shadow, tone, edge, bg, scene.width, scene.height]);
}

interface Inflight {
  promise: Promise<ProductFxResult>;
  cancel: () => void;
  waiters: number;
}

/**
 * Effects per product, computed in the worker, cached by key (a few dozen: undo/redo brings back
 * recent looks at once) and shared: a gesture's end, the canvas and the export ask once. A request
 * nobody waits for any more is cancelled, so a burst of changes leaves only the last one running.
 */
export class ProductFxCache {
  private done = new Map<string, ProductFxResult>();
  private inflight = new Map<string, Inflight>();

  constructor(
    private readonly client: FxClient,
    private readonly image: (hash: string) => Promise<ImageBitmap>,
    private readonly limit = 32,
  ) {}

  peek(key: string): ProductFxResult | undefined {
    return this.done.get(key);
  }

  /** The effects for a product; `release()` when no longer interested (cancels if nobody else waits). */
  request(p: ProductRecord, scene: FxScene): { promise: Promise<ProductFxResult>; release: () => void } {
    const key = fxKey(p, scene);
    const hit = this.done.get(key);
    if (hit) return { promise: Promise.resolve(hit), release: () => {} };
    let job = this.inflight.get(key);
    if (!job) job = this.start(key, p, scene);
    job.waiters++;
    let released = false;
    const entry = job;
    return {
      promise: job.promise,
      release: () => {
        if (released) return;
        released = true;
        entry.waiters--;
        if (entry.waiters <= 0 && this.inflight.get(key) === entry) {
          this.inflight.delete(key);
          entry.cancel();
        }
      },
    };
  }

  clear(): void {
    for (const j of this.inflight.values()) j.cancel();
    this.inflight.clear();
    this.done.clear();
  }

  private start(key: string, p: ProductRecord, scene: FxScene): Inflight {
    let cancelTask: (() => void) | null = null;
    let cancelled = false;
    const promise = (async (): Promise<ProductFxResult> => {
      const [product, background] = await Promise.all([this.image(p.props.asset), scene.background ? this.image(scene.background.props.asset) : null]);
      if (cancelled) throw new Error('cancelled');
      const task = this.client.run({
        type: 'fx',
        canvas: { width: scene.width, height: scene.height },
        background: { key: scene.background?.props.asset ?? 'none', bitmap: background, fit: scene.background?.props.fit ?? 'cover' },
        product: { key: p.props.asset, bitmap: product },
        transform: p.transform,
        opacity: p.opacity,
        look: { shadow: p.props.shadow, tone: p.props.tone, edge: p.props.edge },
      });
      cancelTask = task.cancel;
      const res = await task.promise;
      if (res.kind !== 'fx') throw new Error('unexpected answer from the effects worker');
      return { key, transform: p.transform, shadow: res.shadow, product: res.product };
    })();
    const job: Inflight = {
      promise,
      cancel: () => {
        cancelled = true;
        cancelTask?.();
      },
      waiters: 0,
    };
    promise.then(
      (r) => {
        if (this.inflight.get(key) === job) this.inflight.delete(key);
        this.done.set(key, r);
        while (this.done.size > this.limit) this.done.delete(this.done.keys().next().value!);
      },
      () => {
        if (this.inflight.get(key) === job) this.inflight.delete(key);
      },
    );
    return job;
  }
}
