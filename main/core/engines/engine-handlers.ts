import { AppError, type EventSink, type Handlers } from '../../../preload/contract/index.js';
import type { EnginesPort } from './engines-port.js';

type EngineHandlers = Pick<Handlers, 'listEngines' | 'startEngine' | 'stopEngine' | 'restartEngine' | 'getEngineLogs'>;

const NOT_HERE = 'Docker engines are not available in this mode; the embedded engine is used.';

/**
 * The engine channels over the container manager. Start/stop failures the manager explains (no GPU
 * runtime, daemon down, port taken…) come back as the snapshot in state "error" with the action to
 * take, so the panel can show the action and the embedded-engine offer; the bare Result error would
 * only carry code and message.
 */
export function engineHandlers(engines: EnginesPort | undefined, emit: EventSink): { handlers: EngineHandlers; dispose(): Promise<void> } {
  if (!engines) {
    const unsupported = async (): Promise<never> => {
      throw new AppError('unsupported', NOT_HERE);
    };
    return {
      handlers: { listEngines: async () => [], startEngine: unsupported, stopEngine: unsupported, restartEngine: unsupported, getEngineLogs: unsupported },
      dispose: async () => {},
    };
  }
  const offState = engines.subscribe((snap) => emit('engineState', snap));
  const offLog = engines.onLog((line) => emit('engineLog', line));

  const known = (profile: string) => {
    if (!engines.snapshots().some((s) => s.profile === profile)) throw new AppError('not-found', `There is no engine profile "${profile}".`);
  };
  const act = async (profile: string, fn: () => Promise<ReturnType<EnginesPort['snapshot']>>) => {
    known(profile);
    try {
      return await fn();
    } catch (e) {
      const snap = engines.snapshot(profile);
      // Explained failures live in the snapshot; anything else (cancelled, a bug) stays an error.
      if (snap.state === 'error' && snap.error) return snap;
      throw e;
    }
  };

  return {
    handlers: {
      // Never throws for a daemon that is down: refresh puts the explanation into each snapshot.
      listEngines: async () => engines.refreshAll().catch(() => engines.snapshots()),
      startEngine: ({ profile }) => act(profile, () => engines.start(profile)),
      stopEngine: ({ profile }) => act(profile, () => engines.stop(profile)),
      restartEngine: ({ profile }) => act(profile, () => engines.restart(profile)),
      async getEngineLogs({ profile, limit }) {
        known(profile);
        return { lines: engines.recentLogs(profile, limit ?? 200), file: engines.logFile(profile) };
      },
    },
    async dispose() {
      offState();
      offLog();
      await engines.close();
    },
  };
}
