import { ContainerManager } from '../core/containers/container-manager.js';
import { engineSettingsFile, loadEngineSettings } from '../core/containers/engine-settings.js';
import { engineWorkspaceDir, resolveProfiles } from '../core/containers/profiles.js';
import type { EnginesPort } from '../core/engines/engines-port.js';
import { createDockerRuntime } from './docker-runtime.js';

export interface DockerEnginesOptions {
  dataDir: string;
  version: string;
  /** Folder with the Dockerfile (building adstudio-engine); null in a packaged app. */
  packageRoot: string | null;
  /** Bundles to copy into the engine image (the folder of the running bundle). */
  distDir?: string;
  env?: Record<string, string | undefined>;
  log: (message: string) => void;
}

/**
 * The engine-container manager for the editor and the desktop app. Creating it never talks to Docker
 * (dockerode connects per request), so a daemon that is down cannot stop the editor from starting:
 * the panel shows it as each profile's error. Returns undefined only if even that setup fails.
 */
export async function createDockerEngines(o: DockerEnginesOptions): Promise<EnginesPort | undefined> {
  try {
    const env = o.env ?? process.env;
    const settings = await loadEngineSettings(engineSettingsFile(o.dataDir), o.log);
    const runtime = await createDockerRuntime({ env });
    const manager = new ContainerManager({
      runtime,
      profiles: resolveProfiles(settings, { version: o.version, workspaceHostPath: engineWorkspaceDir(o.dataDir) }),
      dataDir: o.dataDir,
      version: o.version,
      packageRoot: o.packageRoot,
      ...(o.distDir ? { distDir: o.distDir } : {}),
      hostEnv: env,
      onQuit: settings.onQuit,
      log: o.log,
    });
    return manager;
  } catch (e) {
    o.log(`engine containers are unavailable: ${(e as Error).message}`);
    return undefined;
  }
}
