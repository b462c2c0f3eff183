import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../preload/contract/index.js';
import { copyHashing } from './copy-hashing.js';
import { assertFreeSpace, formatBytes, statfsFreeSpace, type FreeSpaceProbe } from './disk-space.js';
import { acquireLock } from './download-lock.js';
import { sha256File } from './file-hash.js';
import { inspectFile, linkSnapshot, placeBlob, writeRefIfAbsent, type FileInspection, type FileState } from './hf-cache.js';
import { downloadToPartial, WrongFileError } from './http-download.js';
import { DEFAULT_HUB_URL, fileUrl, repoLayout, type RepoLayout } from './model-paths.js';
import { BUILTIN_MODELS, findModel, mainFile, totalSize, type ModelFileSpec, type ModelSpec } from './model-registry.js';

/** installed: usable · missing: not there · partial: a resumable download exists · corrupt: there but wrong. */
export type ModelState = 'installed' | 'missing' | 'partial' | 'corrupt';

export interface ModelFileStatus {
  path: string;
  sha256: string;
  sizeBytes: number;
  url: string;
  state: FileState;
  /** The snapshot file a runtime opens, when installed. */
  localPath: string | null;
  partialBytes: number;
  detail?: string;
}

export interface ModelStatus {
  id: string;
  label: string;
  task: ModelSpec['task'];
  license: string;
  homepage: string;
  /** "ORG/NAME" on the hub. */
  repo: string;
  revision: string;
  sizeBytes: number;
  ramBytes: number;
  vramBytes: number;
  state: ModelState;
  /** The main file's local path when installed. */
  path: string | null;
  partialBytes: number;
  detail?: string;
  files: ModelFileStatus[];
}

export interface ModelProgress {
  phase: 'verify' | 'download' | 'import';
  /** Repository path of the file being worked on. */
  file: string;
  bytes: number;
  totalBytes: number;
  /** 0..1 over the whole operation. */
  fraction: number;
}

export interface ModelOpOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ModelProgress) => void;
}

export interface ModelVerifyResult {
  id: string;
  state: 'ok' | 'missing' | 'corrupt';
  path: string | null;
  detail?: string;
}

export interface ModelStoreOptions {
  /** The hub cache folder (where models--ORG--NAME live), e.g. $HF_HOME/hub. */
  hubDir: string;
  /** Hub base URL; default https://huggingface.co. */
  hubUrl?: string;
  registry?: readonly ModelSpec[];
  /** Injected in tests (a nearly full disk). */
  freeSpace?: FreeSpaceProbe;
  fetch?: typeof fetch;
  /** Automatic resumes per download (default 4) and the first pause between them (default 500 ms). */
  retries?: number;
  retryDelayMs?: number;
}

/**
 * Files whose full SHA-256 was checked in this process, by identity (real path, size, mtime, inode):
 * the check before first use costs ~0.5 s for LaMa and is not repeated until the file changes.
 */
const verifiedThisProcess = new Set<string>();

/**
 * The model manager: what is installed, download (resumable, checked, atomic), import, verify.
 * Storage is the Hugging Face hub cache layout, shared with every other HF tool on the volume:
 *   models--ORG--NAME/blobs/<sha256>                     (only ever named after its checked hash)
 *   models--ORG--NAME/blobs/<sha256>.incomplete          (a download in progress / to resume)
 *   models--ORG--NAME/snapshots/<revision>/<file>  →  ../../blobs/<sha256>
 *   models--ORG--NAME/refs/main                          (the revision, when no other tool set it)
 */
export class ModelStore {
  readonly hubDir: string;
  readonly hubUrl: string;
  readonly registry: readonly ModelSpec[];
  private readonly freeSpace: FreeSpaceProbe;
  private readonly inflight = new Map<string, Promise<ModelStatus>>();

  constructor(private readonly options: ModelStoreOptions) {
    this.hubDir = options.hubDir;
    this.hubUrl = (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.registry = options.registry ?? BUILTIN_MODELS;
    this.freeSpace = options.freeSpace ?? statfsFreeSpace;
  }

  spec(id: string): ModelSpec {
    return findModel(this.registry, id);
  }

  layout(id: string): RepoLayout {
    return repoLayout(this.hubDir, this.spec(id));
  }

  /** What is on disk for a model (a few stat calls; no hashing). */
  status(id: string): ModelStatus {
    const spec = this.spec(id);
    const layout = repoLayout(this.hubDir, spec);
    const files = spec.files.map((f) => this.fileStatus(spec, layout, f, inspectFile(layout, f)));
    const partialBytes = files.reduce((n, f) => n + f.partialBytes, 0);
    const corrupt = files.find((f) => f.state === 'corrupt');
    const state: ModelState = corrupt ? 'corrupt' : files.every((f) => f.state === 'installed') ? 'installed' : partialBytes > 0 ? 'partial' : 'missing';
    const main = files[0]!;
    return {
      id: spec.id,
      label: spec.label,
      task: spec.task,
      license: spec.license,
      homepage: spec.homepage,
      repo: `${spec.repo.org}/${spec.repo.name}`,
      revision: spec.repo.revision,
      sizeBytes: totalSize(spec),
      ramBytes: spec.footprint.ramBytes,
      vramBytes: spec.footprint.vramBytes,
      state,
      path: state === 'installed' ? main.localPath : null,
      partialBytes,
      ...(corrupt?.detail ? { detail: corrupt.detail } : {}),
      files,
    };
  }

  list(): ModelStatus[] {
    return this.registry.map((m) => this.status(m.id));
  }

  /** The main file's path when installed (cheap check), else null. */
  installedPath(id: string): string | null {
    return this.status(id).path;
  }

  /**
   * The main file's path, its SHA-256 checked once per process before first use. A model that is
   * missing or damaged is AppError('not-found') saying which command installs it.
   */
  async requireInstalled(id: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const spec = this.spec(id);
    const status = this.status(id);
    const hint = `run "adstudio models download ${spec.id}" (${formatBytes(status.sizeBytes)}), or "adstudio models import ${spec.id} <file>" with a copy fetched on another machine`;
    if (status.state === 'corrupt') throw new AppError('not-found', `the ${spec.label} model is damaged (${status.detail ?? 'wrong size'}): ${hint}`);
    if (status.state !== 'installed' || !status.path) {
      const partial = status.partialBytes > 0 ? ` (a download stopped at ${formatBytes(status.partialBytes)}: the same command resumes it)` : '';
      throw new AppError('not-found', `the ${spec.label} model is not installed${partial}: ${hint}`);
    }
    for (const f of status.files) {
      const file = spec.files.find((s) => s.path === f.path)!;
      if (!(await this.checkContent(f.localPath!, file, options.signal))) {
        throw new AppError('not-found', `the ${spec.label} model is damaged (${f.localPath} does not match its SHA-256): ${hint}`);
      }
    }
    return status.path;
  }

  /** Fetches every missing file from the hub; an installed, intact model is left as it is. */
  download(id: string, options: ModelOpOptions = {}): Promise<ModelStatus> {
    const spec = this.spec(id);
    // Two callers in one process (a double click) share one download.
    const running = this.inflight.get(spec.id);
    if (running) return running;
    const work = this.downloadAll(spec, options).finally(() => this.inflight.delete(spec.id));
    this.inflight.set(spec.id, work);
    return work;
  }

  /**
   * Installs a file the user fetched elsewhere (an offline machine): it is copied into the cache
   * while hashed, and placed only when its SHA-256 is one of the model's files.
   */
  async importFile(id: string, source: string, options: ModelOpOptions = {}): Promise<ModelStatus> {
    const spec = this.spec(id);
    let size: number;
    try {
      const s = await stat(source);
      if (!s.isFile()) throw new AppError('bad-request', `cannot import ${source}: it is not a file`);
      size = s.size;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('not-found', `cannot import ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const candidates = spec.files.filter((f) => f.sizeBytes === size);
    if (candidates.length === 0) {
      const expected = spec.files.map((f) => `${f.path} is ${f.sizeBytes} bytes`).join(', ');
      throw new AppError('bad-request', `${source} is ${size} bytes, but ${expected}: it is not the ${spec.label} file of ${spec.repo.org}/${spec.repo.name}; nothing was installed`);
    }
    const layout = repoLayout(this.hubDir, spec);
    await mkdir(layout.blobsDir, { recursive: true });
    await assertFreeSpace(this.freeSpace, layout.blobsDir, size, `importing ${spec.id}`);
    const tmp = join(layout.blobsDir, `.import-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let placed = false;
    try {
      const { sha256 } = await copyHashing(source, tmp, {
        signal: options.signal,
        onBytes: (b) => options.onProgress?.({ phase: 'import', file: candidates[0]!.path, bytes: b, totalBytes: size, fraction: b / size }),
      });
      const file = candidates.find((f) => f.sha256 === sha256);
      if (!file) {
        throw new AppError('bad-request', `checksum mismatch: ${source} has SHA-256 ${sha256}, but ${spec.id} expects ${candidates.map((f) => f.sha256).join(' or ')}; nothing was installed`);
      }
      const release = await acquireLock(this.lockPath(layout, file), `the ${spec.id} model file`);
      try {
        await placeBlob(tmp, layout.blob(file.sha256));
        placed = true;
        const snap = await linkSnapshot(layout, file);
        await writeRefIfAbsent(layout, spec.repo.revision);
        await unlink(layout.incomplete(file.sha256)).catch(() => {});
        markVerified(snap);
      } finally {
        await release();
      }
    } finally {
      if (!placed) await unlink(tmp).catch(() => {});
    }
    return this.status(spec.id);
  }

  /** Re-hashes every installed file (of `ids`, default all models) against the registry. */
  async verify(ids?: readonly string[], options: ModelOpOptions = {}): Promise<ModelVerifyResult[]> {
    const specs = ids ? ids.map((id) => this.spec(id)) : this.registry;
    const results: ModelVerifyResult[] = [];
    for (const spec of specs) {
      const layout = repoLayout(this.hubDir, spec);
      let state: ModelVerifyResult['state'] = 'ok';
      let detail: string | undefined;
      for (const file of spec.files) {
        const ins = inspectFile(layout, file);
        if (ins.state === 'corrupt') {
          state = 'corrupt';
          detail = ins.detail;
          break;
        }
        if (ins.state === 'missing') {
          state = 'missing';
          detail = ins.partialBytes > 0 ? `a download stopped at ${formatBytes(ins.partialBytes)}` : undefined;
          continue;
        }
        forgetVerified(ins.path!);
        const ok = await this.checkContent(ins.path!, file, options.signal, (b) =>
          options.onProgress?.({ phase: 'verify', file: file.path, bytes: b, totalBytes: file.sizeBytes, fraction: b / file.sizeBytes }),
        );
        if (!ok) {
          state = 'corrupt';
          detail = `${ins.path} does not match its SHA-256 ${file.sha256}`;
          break;
        }
      }
      const path = state === 'ok' ? this.installedPath(spec.id) : null;
      results.push({ id: spec.id, state, path, ...(detail ? { detail } : {}) });
    }
    return results;
  }

  /** The download URL of a file. */
  url(spec: ModelSpec, file: ModelFileSpec = mainFile(spec)): string {
    return fileUrl(this.hubUrl, spec, file);
  }

  private async downloadAll(spec: ModelSpec, options: ModelOpOptions): Promise<ModelStatus> {
    const layout = repoLayout(this.hubDir, spec);
    const total = totalSize(spec);
    let before = 0;
    for (const file of spec.files) {
      const report = (phase: ModelProgress['phase'], bytes: number) =>
        options.onProgress?.({ phase, file: file.path, bytes, totalBytes: file.sizeBytes, fraction: Math.min(1, (before + bytes) / total) });
      await this.downloadFile(spec, layout, file, options.signal, report);
      before += file.sizeBytes;
    }
    return this.status(spec.id);
  }

  private async downloadFile(
    spec: ModelSpec,
    layout: RepoLayout,
    file: ModelFileSpec,
    signal: AbortSignal | undefined,
    report: (phase: ModelProgress['phase'], bytes: number) => void,
  ): Promise<void> {
    await mkdir(layout.blobsDir, { recursive: true });
    const release = await acquireLock(this.lockPath(layout, file), `the ${spec.id} model file`);
    try {
      let ins = inspectFile(layout, file);
      const blob = layout.blob(file.sha256);
      if (ins.state === 'installed') {
        if (await this.checkContent(ins.path!, file, signal, (b) => report('verify', b))) {
          await writeRefIfAbsent(layout, spec.repo.revision);
          return;
        }
        await unlink(blob).catch(() => {}); // damaged: never used again, replaced below
      } else if (ins.blobPresent) {
        // A blob already here (another tool fetched it, or only the link is missing) is reused when intact.
        if (await this.checkContent(blob, file, signal, (b) => report('verify', b))) {
          markVerified(await linkSnapshot(layout, file));
          await writeRefIfAbsent(layout, spec.repo.revision);
          return;
        }
        await unlink(blob);
      }
      await this.removeBadSnapshot(layout, file, ins);
      ins = inspectFile(layout, file);
      await assertFreeSpace(this.freeSpace, layout.blobsDir, file.sizeBytes - ins.partialBytes, `${spec.id} (${file.path})`);

      const partial = layout.incomplete(file.sha256);
      let result;
      try {
        result = await downloadToPartial({
          url: this.url(spec, file),
          partialPath: partial,
          expectedSize: file.sizeBytes,
          signal,
          onBytes: (b) => report('download', b),
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          ...(this.options.retries !== undefined ? { retries: this.options.retries } : {}),
          ...(this.options.retryDelayMs !== undefined ? { retryDelayMs: this.options.retryDelayMs } : {}),
        });
      } catch (e) {
        if (e instanceof WrongFileError) await unlink(partial).catch(() => {});
        throw e;
      }
      if (result.sha256 !== file.sha256) {
        await unlink(partial).catch(() => {});
        throw new AppError(
          'io',
          `the downloaded ${file.path} does not match the published checksum (SHA-256 ${result.sha256}, expected ${file.sha256}); it was discarded and nothing was installed. Try again; if it happens again, the hub (${this.hubUrl}) serves another file.`,
        );
      }
      await placeBlob(partial, blob);
      markVerified(await linkSnapshot(layout, file));
      await writeRefIfAbsent(layout, spec.repo.revision);
    } finally {
      await release();
    }
  }

  /** A snapshot entry that is not a link to the right blob (a damaged copy) goes before re-linking. */
  private async removeBadSnapshot(layout: RepoLayout, file: ModelFileSpec, ins: FileInspection): Promise<void> {
    if (ins.state === 'missing' && !ins.detail) return;
    // (Replacing it would happen anyway when the new blob is linked; removing it now means a failed
    // download does not leave a damaged file that still looks installed.)
    await unlink(layout.snapshotFile(file)).catch(() => {});
  }

  /** Full SHA-256 check (skipped when this process already checked this very file). */
  private async checkContent(path: string, file: ModelFileSpec, signal?: AbortSignal, onBytes?: (bytes: number) => void): Promise<boolean> {
    const key = identity(path);
    if (key && verifiedThisProcess.has(key)) return true;
    const { sha256, bytes } = await sha256File(path, { signal, onBytes });
    const ok = sha256 === file.sha256 && bytes === file.sizeBytes;
    if (ok && key) verifiedThisProcess.add(key);
    return ok;
  }

  private lockPath(layout: RepoLayout, file: ModelFileSpec): string {
    return join(layout.locksDir, `${file.sha256}.adstudio.lock`);
  }

  private fileStatus(spec: ModelSpec, layout: RepoLayout, file: ModelFileSpec, ins: FileInspection): ModelFileStatus {
    return {
      path: file.path,
      sha256: file.sha256,
      sizeBytes: file.sizeBytes,
      url: this.url(spec, file),
      state: ins.state,
      localPath: ins.path,
      partialBytes: ins.partialBytes,
      ...(ins.detail ? { detail: ins.detail } : {}),
    };
  }
}

function identity(path: string): string | null {
  try {
    const real = realpathSync(path);
    const s = statSync(real);
    return `${real}|${s.size}|${s.mtimeMs}|${s.ino}`;
  } catch {
    return null;
  }
}

function markVerified(path: string): void {
  const key = identity(path);
  if (key) verifiedThisProcess.add(key);
}

function forgetVerified(path: string): void {
  const key = identity(path);
  if (key) verifiedThisProcess.delete(key);
}
