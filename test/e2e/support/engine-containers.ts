import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ensureLocalBase, removeContainers } from '../../integration/containers/docker-support.js';
import { startHarness, type Harness, type WorkDir } from './editor-page.js';

export { freePort } from '../../support/free-port.js';

/** engines.json as a person writes it by hand: a custom profile may carry a `command`, which the form does not offer. */
export interface EnginesFile {
  onQuit?: 'leave-running' | 'stop';
  customProfiles: Record<string, unknown>[];
}

export interface EngineHarness extends Harness {
  docker: Docker;
  /** <data dir>/engines.json, as written before the editor started. */
  enginesJson: string;
  /** Stop the browser and the editor, remove the work folder (kept when ADSTUDIO_E2E_KEEP=1) and the test's containers. */
  close(): Promise<void>;
}

/**
 * The editor harness for engines on the real Docker daemon: engine test doubles run in the local base
 * image (node only; made here when missing), the containers named in `containers` are removed before
 * the editor starts and after the tests, and engines.json is written by hand before the editor starts.
 */
export async function startEngineHarness(
  label: string,
  opts: {
    containers: string[];
    /** engines.json's content, given the local base image's tag. */
    engines: (baseImage: string) => EnginesFile | Promise<EnginesFile>;
    /** More to put in the work folder before the editor starts. */
    prepare?: (work: WorkDir) => Promise<void>;
  },
): Promise<EngineHarness> {
  const docker = new Docker();
  const removeTheirs = () => removeContainers(docker, { names: opts.containers });
  let enginesJson = '';
  const h = await startHarness(label, async (work) => {
    const baseImage = await ensureLocalBase();
    await removeTheirs();
    enginesJson = join(work.dataDir, 'engines.json');
    await writeFile(enginesJson, JSON.stringify(await opts.engines(baseImage), null, 2));
    await opts.prepare?.(work);
  });
  return {
    ...h,
    docker,
    enginesJson,
    async close() {
      await h.close();
      await removeTheirs();
    },
  };
}

/** A container's details by its exact name; null when there is none. */
export async function inspectContainer(docker: Docker, name: string) {
  const c = (await docker.listContainers({ all: true })).find((x) => x.Names.includes(`/${name}`));
  return c ? docker.getContainer(c.Id).inspect() : null;
}
