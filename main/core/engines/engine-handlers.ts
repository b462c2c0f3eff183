import { AppError, type EventSink, type Handlers } from '../../../preload/contract/index.js';
import { isContainerError } from '../containers/container-errors.js';
import type { EnginesPort, ProfileChange } from './engines-port.js';

type EngineHandlers = Pick<
  Handlers,
  | 'listEngines'
  | 'startEngine'
  | 'stopEngine'
  | 'restartEngine'
  | 'removeEngine'
  | 'getEngineLogs'
  | 'getEngineSettings'
  | 'saveEngineProfile'
  | 'deleteEngineProfile'
  | 'getEngineMemory'
  | 'resetEngine'
  | 'setEngineOnQuit'
>;

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
      handlers: {
        listEngines: async () => [],
        startEngine: unsupported,
        stopEngine: unsupported,
        restartEngine: unsupported,
        removeEngine: unsupported,
        getEngineLogs: unsupported,
        getEngineSettings: unsupported,
        saveEngineProfile: unsupported,
        deleteEngineProfile: unsupported,
        getEngineMemory: unsupported,
        resetEngine: unsupported,
        setEngineOnQuit: unsupported,
      },
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
      // A refused removal leaves the engine as it was (maybe "error" while it runs unhealthy): say why.
      if (isContainerError(e) && e.info.reason === 'running') throw e;
      const snap = engines.snapshot(profile);
      // Explained failures live in the snapshot; anything else (cancelled, a bug) stays an error.
      if (snap.state === 'error' && snap.error) return snap;
      throw e;
    }
  };

  const settingsPort = () => {
    if (!engines.profileSettings) throw new AppError('unsupported', 'Engine profiles cannot be changed here (no data folder for engines.json).');
    return engines.profileSettings;
  };
  /** The answer to a settings change: the new settings and the engines as Docker shows them now. */
  const changed = async (change: ProfileChange) => {
    // A new or changed profile may find a container at once (by name or port): look before answering.
    if (engines.snapshots().some((s) => s.profile === change.profile)) await engines.refresh(change.profile).catch(() => undefined);
    return { ...change, engines: engines.snapshots() };
  };

  return {
    handlers: {
      // Never throws for a daemon that is down: refresh puts the explanation into each snapshot.
      listEngines: async () => engines.refreshAll().catch(() => engines.snapshots()),
      startEngine: ({ profile }) => act(profile, () => engines.start(profile)),
      stopEngine: ({ profile }) => act(profile, () => engines.stop(profile)),
      restartEngine: ({ profile }) => act(profile, () => engines.restart(profile)),
      // Never stops an engine on the way: a running one is refused with "stop it first".
      removeEngine: ({ profile }) => act(profile, () => engines.remove(profile, { whenRunning: 'refuse' })),
      async getEngineLogs({ profile, limit }) {
        known(profile);
        // From the files on disk: memory keeps only the last few hundred lines.
        const tail = await engines.logTail(profile, limit ?? 200);
        return { lines: tail.lines, more: tail.more, file: engines.logFile(profile) };
      },
      getEngineSettings: async () => settingsPort().read(),
      saveEngineProfile: async ({ profile, mode }) => changed(await settingsPort().save(profile, mode)),
      deleteEngineProfile: async ({ name }) => changed(await settingsPort().remove(name)),
      setEngineOnQuit: async ({ onQuit }) => settingsPort().setOnQuit(onQuit),
      // Not through act(): a failed reset is the server's answer, not a state of the container.
      resetEngine: async ({ profile }) => {
        known(profile);
        return engines.resetServer(profile);
      },
      async getEngineMemory({ profile }) {
        known(profile);
        return engines.memory(profile);
      },
    },
    async dispose() {
      offState();
      offLog();
      await engines.close();
    },
  };
}
