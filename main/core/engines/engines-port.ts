import type {
  CustomEngineProfileInput,
  EngineLogLinePayload,
  EngineMemoryPayload,
  EngineOnQuit,
  EngineSettingsViewPayload,
  EngineSnapshotPayload,
} from '../../../preload/contract/index.js';

/**
 * What the services need from the engine-container manager (ContainerManager implements it). Absent
 * in tests and wherever Docker engines are not offered; the engine channels then say so.
 */
export interface EnginesPort {
  snapshots(): EngineSnapshotPayload[];
  snapshot(name: string): EngineSnapshotPayload;
  refreshAll(): Promise<EngineSnapshotPayload[]>;
  refresh(name: string): Promise<EngineSnapshotPayload>;
  start(name: string): Promise<EngineSnapshotPayload>;
  stop(name: string): Promise<EngineSnapshotPayload>;
  restart(name: string): Promise<EngineSnapshotPayload>;
  /**
   * Deletes the profile's container (the image, the model volume and the log stay). whenRunning
   * "refuse": a running one is left running and an error says to stop it first ("stop" stops it).
   */
  remove(name: string, options?: { whenRunning?: 'stop' | 'refuse' }): Promise<EngineSnapshotPayload>;
  subscribe(listener: (snapshot: EngineSnapshotPayload) => void): () => void;
  onLog(listener: (line: EngineLogLinePayload) => void): () => void;
  recentLogs(name: string, limit?: number): EngineLogLinePayload[];
  /** The last lines from the log files on disk (rotated ones too), memory when there are none. */
  logTail(name: string, limit: number): Promise<{ lines: EngineLogLinePayload[]; more: boolean }>;
  logFile(name: string): string;
  /** POST /server-reset to a nanoCocoa engine; AppError('unsupported') for other protocols. */
  resetServer(name: string): Promise<EngineSnapshotPayload>;
  /** VRAM as the healthy engine reports it (throws while it is not running). */
  memory(name: string): Promise<EngineMemoryPayload>;
  close(): Promise<void>;
  /** Custom profiles in engines.json; absent where they cannot be changed (then the settings channels say so). */
  profileSettings?: EngineProfileSettingsPort;
  /** Profiles whose engine can run the app's jobs (the adstudio protocol and nanoCocoa), in panel order. */
  jobProfiles(): JobProfile[];
  /** How to send jobs to the profile's running container; null while it has none. */
  jobEndpoint(name: string): Promise<JobEndpoint | null>;
}

export interface JobProfile {
  profile: string;
  title: string;
  protocol: 'adstudio-v1' | 'nanococoa';
}

/** A running engine container as a job target. */
export interface JobEndpoint extends JobProfile {
  url: string;
  /** The adstudio protocol's access token (from the container's environment); null for nanoCocoa. */
  token: string | null;
  containerId: string;
  /** The adstudio engine's workspace: stage files live here, seen by both sides. */
  workspace: { hostPath: string; containerPath: string } | null;
}

/** What a save or delete did, besides writing engines.json. */
export interface ProfileChange {
  settings: EngineSettingsViewPayload;
  profile: string;
  /** Container of a deleted profile that keeps running. */
  keptRunning: string | null;
  /** The edited profile's container runs with its old settings until restarted. */
  restartToApply: boolean;
}

/** engines.json's custom profiles, read and written (EngineProfileStore implements it). */
export interface EngineProfileSettingsPort {
  read(): Promise<EngineSettingsViewPayload>;
  save(profile: CustomEngineProfileInput, mode: 'add' | 'edit'): Promise<ProfileChange>;
  remove(name: string): Promise<ProfileChange>;
  /** engines.json's onQuit, written atomically and handed to the manager at once. */
  setOnQuit(onQuit: EngineOnQuit): Promise<EngineSettingsViewPayload>;
}
