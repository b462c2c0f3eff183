import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/paths/atomic-write.js';

/**
 * The browser-mode editor remembers its last port and token in the data folder (mode 0600), so after
 * a restart — a crash, a kill, a reboot — a tab that is still open reconnects by itself and offers
 * to recover unsaved work, instead of asking the user to find a new link.
 */
export interface EditorSession {
  port: number;
  token: string;
}

export const EDITOR_SESSION_FILE = 'editor-session.json';

export async function readEditorSession(dataDir: string): Promise<EditorSession | null> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, EDITOR_SESSION_FILE), 'utf8')) as Partial<EditorSession>;
    const port = Number(parsed.port);
    const token = parsed.token;
    if (!Number.isInteger(port) || port < 1 || port > 65_535 || typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,256}$/.test(token)) return null;
    return { port, token };
  } catch {
    return null; // missing or damaged: start fresh
  }
}

export async function writeEditorSession(dataDir: string, session: EditorSession): Promise<void> {
  await writeFileAtomic(join(dataDir, EDITOR_SESSION_FILE), `${JSON.stringify(session)}\n`, { mode: 0o600 });
}
