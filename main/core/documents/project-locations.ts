import { join } from 'node:path';
import { AppError, type DocumentJson } from '../../../preload/contract/index.js';
import type { AllowedRoots } from '../paths/allowed-roots.js';
import { exists, sanitizeFileName, uniquePath } from '../paths/file-names.js';
import type { DialogPort } from '../services-types.js';
import { PROJECT_EXT, readProjectDocumentId } from './project-file.js';

/** `path` is what the renderer knows the project by; `ioPath` is the checked real path used for I/O. */
export interface ProjectTarget {
  path: string;
  ioPath: string;
}

/**
 * Decides where a project is saved to or opened from. With native dialogs (desktop app) the user
 * picks and every picked file is granted; without them (browser mode) only the projects folder is
 * reachable. A path from a request is never trusted on its own: it must pass AllowedRoots.
 */
export class ProjectLocations {
  constructor(
    private readonly projectsDir: string,
    private readonly roots: AllowedRoots,
    private readonly dialogs?: DialogPort,
  ) {}

  async saveTarget(doc: DocumentJson, req: { path?: string; saveAs: boolean; name?: string }): Promise<ProjectTarget | null> {
    const base = sanitizeFileName(req.name ?? doc.title);
    if (this.dialogs) {
      if (req.path && !req.saveAs) {
        try {
          return { path: req.path, ioPath: await this.roots.check(req.path, 'save the project to') };
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'path-denied')) throw e;
          // A location this run has not seen chosen (e.g. a recovered project): let the user confirm it.
          return this.askSave(this.dialogs, req.path);
        }
      }
      return this.askSave(this.dialogs, req.path ?? join(this.projectsDir, `${base}.${PROJECT_EXT}`));
    }
    if (req.path && !req.saveAs) return { path: req.path, ioPath: await this.roots.check(req.path, 'save the project to') };
    const preferred = join(this.projectsDir, `${base}.${PROJECT_EXT}`);
    // Saving the same project under its own name again overwrites it; anything else gets a fresh name.
    const path = (await exists(preferred)) && (await readProjectDocumentId(preferred)) === doc.id ? preferred : await uniquePath(this.projectsDir, base, PROJECT_EXT);
    return { path, ioPath: await this.roots.check(path, 'save the project to') };
  }

  async openTarget(path?: string): Promise<ProjectTarget | null> {
    if (this.dialogs && !path) {
      const chosen = await this.dialogs.openProject(this.projectsDir);
      if (!chosen) return null;
      await this.roots.grantFile(chosen);
      return { path: chosen, ioPath: chosen };
    }
    if (!path) throw new AppError('bad-request', 'Choose a project from the projects folder to open');
    const ioPath = await this.roots.check(path, 'open the project');
    // Saving back to a project the user opened is allowed.
    await this.roots.grantFile(path);
    return { path, ioPath };
  }

  private async askSave(dialogs: DialogPort, defaultPath: string): Promise<ProjectTarget | null> {
    const chosen = await dialogs.saveProject(defaultPath);
    if (!chosen) return null;
    await this.roots.grantFile(chosen);
    return { path: chosen, ioPath: chosen };
  }
}
