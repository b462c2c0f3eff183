import { randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, rename, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { syncDir, writeFileAtomic } from '../paths/atomic-write.js';
import type { RepoLayout } from './model-paths.js';
import type { ModelFileSpec } from './model-registry.js';

/** What is on disk for one model file. Only 'installed' may be used. */
export type FileState = 'installed' | 'missing' | 'corrupt';

export interface FileInspection {
  state: FileState;
  /** The snapshot path (what a runtime opens) when installed. */
  path: string | null;
  /** Bytes of a resumable partial download (blobs/<sha>.incomplete). */
  partialBytes: number;
  /** True when blobs/<sha256> exists (maybe without its snapshot link yet). */
  blobPresent: boolean;
  /** Why it is not installed, for people. */
  detail?: string;
}

/**
 * A cheap look (a few stat calls, synchronous so `methods()` can ask) at one file in the HF cache.
 * Installed means: snapshots/<revision>/<path> exists, is a symlink into blobs/<sha256> (or, where
 * symlinks are not possible, a plain file), and has the published size. Blobs only ever get their
 * final name after their SHA-256 was checked, so a half-written download (always `.incomplete`) can
 * never look installed; a full re-hash is verify()'s job.
 */
export function inspectFile(layout: RepoLayout, file: ModelFileSpec): FileInspection {
  const blob = layout.blob(file.sha256);
  const snap = layout.snapshotFile(file);
  const partialBytes = sizeSync(layout.incomplete(file.sha256)) ?? 0;
  const blobSize = sizeSync(blob);
  const base = { partialBytes, blobPresent: blobSize !== null };
  let link;
  try {
    link = lstatSync(snap);
  } catch {
    return { ...base, state: 'missing', path: null };
  }
  if (link.isSymbolicLink()) {
    const target = resolve(dirname(snap), readlinkSync(snap));
    if (target !== resolve(blob)) return { ...base, state: 'corrupt', path: null, detail: `${snap} points to ${target}, not to the verified blob ${basename(blob)}` };
    if (blobSize === null) return { ...base, state: 'missing', path: null, detail: `the blob behind ${snap} is gone` };
    if (blobSize !== file.sizeBytes) return { ...base, state: 'corrupt', path: null, detail: `${blob} is ${blobSize} bytes, expected ${file.sizeBytes}` };
    return { ...base, state: 'installed', path: snap };
  }
  if (!link.isFile()) return { ...base, state: 'corrupt', path: null, detail: `${snap} is not a file` };
  if (link.size !== file.sizeBytes) return { ...base, state: 'corrupt', path: null, detail: `${snap} is ${link.size} bytes, expected ${file.sizeBytes}` };
  return { ...base, state: 'installed', path: snap };
}

/** Moves a checked temp file to blobs/<sha256> (atomic rename in the same folder) and syncs the folder. */
export async function placeBlob(tempPath: string, blobPath: string): Promise<void> {
  await rename(tempPath, blobPath);
  await syncDir(dirname(blobPath));
}

/**
 * Points snapshots/<revision>/<path> at the blob, replacing whatever was there in one rename. HF's
 * relative symlink first; where the file system refuses symlinks (Windows without developer mode,
 * some network shares) a hard link, and as a last resort a copy.
 */
export async function linkSnapshot(layout: RepoLayout, file: ModelFileSpec): Promise<string> {
  const snap = layout.snapshotFile(file);
  const blob = layout.blob(file.sha256);
  await mkdir(dirname(snap), { recursive: true });
  const tmp = join(dirname(snap), `.${basename(snap)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    try {
      await symlink(relative(dirname(snap), blob), tmp);
    } catch (e) {
      if (!isNoSymlink(e)) throw e;
      await link(blob, tmp).catch(async () => copyFile(blob, tmp));
    }
    await rename(tmp, snap);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(snap));
  return snap;
}

/** refs/main → the revision, unless another tool already recorded where main is (we never move it back). */
export async function writeRefIfAbsent(layout: RepoLayout, revision: string): Promise<void> {
  if (sizeSync(layout.refFile) !== null) return;
  // HF writes the bare commit hash, no newline.
  await writeFileAtomic(layout.refFile, revision, { mkdir: true });
}

function isNoSymlink(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EINVAL' || code === 'ENOSYS';
}

function sizeSync(path: string): number | null {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

