import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_EXT } from './project-file.js';

export interface ProjectListEntry {
  path: string;
  name: string;
  modifiedAt: string;
  bytes: number;
}

/** Project files directly inside `dir`, newest first. A missing folder is an empty list. */
export async function listProjects(dir: string): Promise<ProjectListEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const suffix = `.${PROJECT_EXT}`;
  const entries: ProjectListEntry[] = [];
  for (const name of names) {
    if (!name.endsWith(suffix) || name.startsWith('.')) continue;
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) continue;
    entries.push({ path, name: name.slice(0, -suffix.length), modifiedAt: s.mtime.toISOString(), bytes: s.size });
  }
  return entries.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
}
