import type { EngineLogLinePayload, EngineSnapshotPayload } from '../../../preload/contract/index.js';

/**
 * What the services need from the engine-container manager (ContainerManager implements it). Absent
 * in tests and wherever Docker engines are not offered; the engine channels then say so.
 */
export interface EnginesPort {
  snapshots(): EngineSnapshotPayload[];
  snapshot(name: string): EngineSnapshotPayload;
  refreshAll(): Promise<EngineSnapshotPayload[]>;
  start(name: string): Promise<EngineSnapshotPayload>;
  stop(name: string): Promise<EngineSnapshotPayload>;
  restart(name: string): Promise<EngineSnapshotPayload>;
  subscribe(listener: (snapshot: EngineSnapshotPayload) => void): () => void;
  onLog(listener: (line: EngineLogLinePayload) => void): () => void;
  recentLogs(name: string, limit?: number): EngineLogLinePayload[];
  logFile(name: string): string;
  close(): Promise<void>;
}
