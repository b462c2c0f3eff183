import { ContainerManager } from '../core/containers/container-manager.js';
import { EngineProfileStore } from '../core/containers/engine-profile-store.js';
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
    const file = engineSettingsFile(o.dataDir);
    const settings = await loadEngineSettings(file, o.log);
    const runtime = await createDockerRuntime({ env });
    const context = { version: o.version, workspaceHostPath: engineWorkspaceDir(o.dataDir) };
    const manager = new ContainerManager({
      runtime,
      profiles: resolveProfiles(settings, context),
      dataDir: o.dataDir,
      version: o.version,
      packageRoot: o.packageRoot,
      ...(o.distDir ? { distDir: o.distDir } : {}),
      hostEnv: env,
      onQuit: settings.onQuit,
      log: o.log,
    });
    // Custom profiles from the Engines panel: written to engines.json, handed to the manager at once.
    const profileSettings = new EngineProfileStore({ file, context, target: manager, log: o.log });
    const port: EnginesPort = Object.assign(manager, { profileSettings });
    return port;
  } catch (e) {
    o.log(`engine containers are unavailable: ${(e as Error).message}`);
    return undefined;
  }
}
