import { writeFileSync } from 'node:fs';
import { ContainerManager, type ContainerManagerOptions } from '../../../../main/core/containers/container-manager.js';
import { engineSettingsFile, loadEngineSettings, type EngineSettings } from '../../../../main/core/containers/engine-settings.js';
import { resolveProfiles, type ProfileContext } from '../../../../main/core/containers/profiles.js';
import { FakeContainerRuntime } from './fake-runtime.js';

/**
 * A ContainerManager over FakeContainerRuntime, as the unit tests drive it: health answered by the
 * fake's servers, every port free, plenty of disk, no background monitor, no engine image to build
 * (no package root, no local base image). `options` override any of these. The caller closes it
 * (or disposes the services over it).
 */
export function fakeManager(o: {
  settings: EngineSettings;
  dataDir: string;
  rt?: FakeContainerRuntime;
  /** How profiles are resolved (default { version: 'test' }). */
  context?: ProfileContext;
  options?: Partial<ContainerManagerOptions>;
}): { rt: FakeContainerRuntime; manager: ContainerManager } {
  const rt = o.rt ?? new FakeContainerRuntime();
  const manager = new ContainerManager({
    runtime: rt,
    profiles: resolveProfiles(o.settings, o.context ?? { version: 'test' }),
    dataDir: o.dataDir,
    version: 'test',
    healthProbe: rt.probe,
    portFree: async () => true,
    diskFree: async (path) => ({ path, freeBytes: 500e9, minBytes: 10e9, low: false }),
    monitorIntervalMs: 0,
    packageRoot: null,
    localBaseImage: null,
    ...o.options,
  });
  return { rt, manager };
}

/**
 * engines.json in `dataDir` as a person wrote it (a string as is, anything else as indented JSON;
 * null: no file), read back the way the app reads it at start-up.
 */
export async function engineSettingsOnDisk(dataDir: string, content: unknown): Promise<{ file: string; settings: EngineSettings }> {
  const file = engineSettingsFile(dataDir);
  if (content !== null) writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { file, settings: await loadEngineSettings(file) };
}
