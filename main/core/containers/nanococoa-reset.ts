/** Sends a nanoCocoa server its reset; rejects with a message a person can act on. */
export type ServerReset = (baseUrl: string) => Promise<void>;

/**
 * POST /server-reset through the nanoCocoa engine client (the adapter's own reset()): the server
 * stops every job and clears its job lock. Loaded on demand: the client brings sharp along, which
 * `engine status` and the panel's other actions do not need.
 */
export const resetNanoCocoaServer: ServerReset = async (baseUrl) => {
  const { createNanoCocoaEngine } = await import('../../engine/nanococoa/nanococoa-engine.js');
  const engine = createNanoCocoaEngine({ baseUrl });
  try {
    await engine.reset();
  } finally {
    await engine.close();
  }
};
