import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppError,
  documentSchema,
  referencedAssets,
  type AssetInfo,
  type DocumentJson,
} from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import { checkDocumentVersion } from './document-checks.js';

/** Session ids become file names: letters, digits, `-` and `_` only (no `../`). */
const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

interface RecoveryFile {
  sessionId: string;
  savedAt: string;
  path: string | null;
  dirty: boolean;
  document: DocumentJson;
}

export interface RecoverableSession {
  sessionId: string;
  title: string;
  savedAt: string;
  path: string | null;
}

export type RecoveryLog = (message: string) => void;

/**
 * Crash recovery. Each editor session autosaves its document here; sessions that autosaved in
 * this process are alive and never offered for recovery. After a crash or kill, the next process
 * sees every session that still had unsaved changes (dirty=true).
 */
export class RecoveryStore {
  private readonly live = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly store: AssetStore,
    private readonly log: RecoveryLog = console.warn,
  ) {}

  async autosave(sessionId: string, document: DocumentJson, path: string | null, dirty: boolean): Promise<{ savedAt: string }> {
    checkSessionId(sessionId);
    const savedAt = new Date().toISOString();
    const entry: RecoveryFile = { sessionId, savedAt, path, dirty, document: documentSchema.parse(document) };
    this.live.add(sessionId);
    await writeFileAtomic(this.file(sessionId), JSON.stringify(entry), { mkdir: true });
    return { savedAt };
  }

  /** Unsaved work of sessions that are not running in this process, newest first. */
  async listRecoverable(): Promise<RecoverableSession[]> {
    const out: RecoverableSession[] = [];
    for (const sessionId of await this.sessionIds()) {
      if (this.live.has(sessionId)) continue;
      const entry = await this.readEntry(sessionId).catch((e: Error) => {
        this.log(`recovery: skipping ${this.file(sessionId)}: ${e.message}`);
        return null;
      });
      if (entry?.dirty) out.push({ sessionId, title: entry.document.title, savedAt: entry.savedAt, path: entry.path });
    }
    return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async recover(sessionId: string): Promise<{ document: DocumentJson; path: string | null; assets: AssetInfo[] }> {
    checkSessionId(sessionId);
    const entry = await this.readEntry(sessionId);
    const assets: AssetInfo[] = [];
    for (const hash of referencedAssets(entry.document)) {
      const info = await this.store.info(hash);
      if (!info) {
        throw new AppError('not-found', `Cannot recover "${entry.document.title}": the image ${hash.slice(0, 12)}… it uses is no longer in the asset store`);
      }
      assets.push(info);
    }
    return { document: entry.document, path: entry.path, assets };
  }

  async discard(sessionId: string): Promise<void> {
    checkSessionId(sessionId);
    this.live.delete(sessionId);
    await unlink(this.file(sessionId)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw new AppError('io', `Cannot remove recovery copy ${this.file(sessionId)}: ${e.message}`);
    });
  }

  private async sessionIds(): Promise<string[]> {
    await mkdir(this.dir, { recursive: true });
    return (await readdir(this.dir))
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => SESSION_ID.test(id));
  }

  private async readEntry(sessionId: string): Promise<RecoveryFile> {
    let text: string;
    try {
      text = await readFile(this.file(sessionId), 'utf8');
    } catch {
      throw new AppError('not-found', `No recovery copy for session ${sessionId}`);
    }
    let raw: Partial<RecoveryFile>;
    try {
      raw = JSON.parse(text) as Partial<RecoveryFile>;
    } catch {
      throw new AppError('bad-project', `The recovery copy for session ${sessionId} is damaged (not JSON)`);
    }
    checkDocumentVersion(raw.document, (v) => new AppError('newer-version', `This recovery copy was made by a newer adstudio (format ${v}); update adstudio to recover it`));
    const document = documentSchema.safeParse(raw.document);
    if (!document.success || typeof raw.savedAt !== 'string' || typeof raw.dirty !== 'boolean') {
      throw new AppError('bad-project', `The recovery copy for session ${sessionId} is damaged (invalid content)`);
    }
    return { sessionId, savedAt: raw.savedAt, dirty: raw.dirty, path: typeof raw.path === 'string' ? raw.path : null, document: document.data };
  }

  private file(sessionId: string): string {
    return join(this.dir, `${sessionId}.json`);
  }
}

function checkSessionId(sessionId: string): void {
  if (!SESSION_ID.test(sessionId)) throw new AppError('bad-request', 'A session id must be 8–64 letters, digits, "-" or "_"');
}
