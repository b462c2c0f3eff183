import type { ExportFormat } from '../../../preload/contract/limits';
import { cleanProjectName } from './project-io';
import type { Editor } from './editor';
import { unwrap } from './errors';

export interface ExportChoice {
  format: ExportFormat;
  /** 1–100, JPEG/WebP only. */
  quality: number;
  name: string;
}

export const EXTENSIONS: Record<ExportFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** Last name part of a path or URL (what the browser should call the download). */
export function fileNameOf(pathOrUrl: string, fallback: string): string {
  const clean = pathOrUrl.split(/[?#]/)[0] ?? '';
  const last = clean.split(/[\\/]/).pop();
  try {
    return last ? decodeURIComponent(last) : fallback;
  } catch {
    return last || fallback;
  }
}

/** Flatten at full resolution on the host; in a browser the written file is then downloaded. */
export async function exportImage(ed: Editor, choice: ExportChoice): Promise<boolean> {
  let ok = false;
  await ed.attempt('error.exportFailed', async () => {
    await ed.mask.idle();
    await ed.waitForUploads();
    const doc = ed.document();
    if (!doc) return;
    const name = cleanProjectName(choice.name) || doc.title || 'adstudio';
    const written = unwrap(
      await ed.api.exportImage({
        document: doc,
        format: choice.format,
        ...(choice.format === 'png' ? {} : { quality: Math.round(choice.quality) }),
        name,
      }),
    );
    if (!written) return; // dialog cancelled
    deliver(ed, written, `${name}.${EXTENSIONS[choice.format]}`);
    ed.notify('success', 'export.done', { path: fileNameOf(written.path, name) });
    ok = true;
  });
  return ok;
}

/** Browser mode: hand the server-written file to the browser's download. */
export function deliver(ed: Editor, written: { path: string; downloadUrl?: string }, fallbackName: string): void {
  if (ed.platform.mode === 'browser' && written.downloadUrl) {
    ed.platform.download(written.downloadUrl, fileNameOf(written.path, fallbackName));
  }
}
