/** The parts of Electron's `app` ordered shutdown needs (a fake in tests). */
export interface ShutdownApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

/**
 * Holds the first quit until `steps` have run in order (stop taking IPC, finish/cancel jobs, close
 * engines and files), each bounded by `timeoutMs` so a stuck step cannot keep the app alive, then
 * quits for real. Failures are logged and the next step still runs.
 */
export function installOrderedShutdown(
  app: ShutdownApp,
  steps: ShutdownStep[],
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): void {
  const timeoutMs = options.timeoutMs ?? 5000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let phase: 'running' | 'stopping' | 'done' = 'running';

  app.on('before-quit', (event) => {
    if (phase === 'done') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    void (async () => {
      for (const step of steps) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(() => step.run()),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
        } catch (err) {
          log(`adstudio: shutdown step "${step.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          clearTimeout(timer);
        }
      }
      phase = 'done';
      app.quit();
    })();
  });
}
