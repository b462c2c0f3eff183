import { runMaskOpAsync, toErrorShape, type MaskRequest, type MaskResponse } from './mask-ops';

/**
 * Web Worker entry: runs mask operations off the UI thread. Results are transferred, not copied.
 * Loaded by mask-worker-client.ts with `new Worker(new URL('./mask-worker.ts', import.meta.url))`.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<MaskRequest>) => void) | null;
  postMessage(message: MaskResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = async (event) => {
  const req = event.data;
  try {
    const result = await runMaskOpAsync(req);
    scope.postMessage({ id: req.id, ok: true, ...result }, result.input ? [result.data.buffer, result.input.buffer] : [result.data.buffer]);
  } catch (err) {
    scope.postMessage({ id: req.id, ok: false, error: toErrorShape(err) }, []);
  }
};
