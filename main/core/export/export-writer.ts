import { join } from 'node:path';
import type { DocumentJson, ExportFormat } from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { encodePng } from '../assets/encode-png.js';
import { decodeMask, encodeImage } from '../images/image-codec.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import { sanitizeFileName, uniquePath } from '../paths/file-names.js';
import type { DialogPort } from '../services-types.js';
import { flattenDocument, paintOrder } from './flatten.js';
import { checkRendered } from './check-rendered.js';

export const EXPORT_EXT: Record<ExportFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export interface WrittenFile {
  path: string;
  downloadUrl?: string;
}

export interface ExportWriterOptions {
  store: AssetStore;
  /** Electron: where the save dialog starts. */
  projectsDir: string;
  /** Browser mode: where files are written for download. */
  exportsDir: string;
  /** Present in Electron mode: the user picks the target. */
  dialogs?: DialogPort;
  downloadUrl?: (absolutePath: string) => string;
}

/**
 * Writes exports. With native dialogs the user chooses the file (null = cancelled); without them
 * (browser mode, CLI) the file goes to exportsDir under a unique, sanitised name and a download
 * URL is returned. Writes are atomic: a failed export never leaves a half-written file.
 */
export class ExportWriter {
  constructor(private readonly opts: ExportWriterOptions) {}

  async exportImage(req: { document: DocumentJson; format: ExportFormat; quality?: number; name?: string }): Promise<WrittenFile | null> {
    // Missing layers are reported before the user is asked where to save.
    for (const r of paintOrder(req.document)) await this.opts.store.require(r.props.asset, `image of layer "${r.name}"`);
    const base = sanitizeFileName(req.name ?? req.document.title);
    return this.write(base, req.format, async () => encodeImage(await flattenDocument(req.document, this.opts.store), req.format, req.quality ?? 92));
  }

  /** The mask as an 8-bit grayscale PNG (255 = fill), the format the CLI and other tools read. */
  async exportMask(req: { mask: string; name?: string }): Promise<WrittenFile | null> {
    const bytes = await this.opts.store.read(req.mask);
    const base = sanitizeFileName(req.name, 'mask');
    return this.write(base, 'png', async () => encodePng(await decodeMask(bytes)));
  }

  /**
   * An ad the renderer already drew and encoded: checked (decodes as `format`, exactly width×height,
   * within the limits) before anything is asked or written, then written like exportImage.
   */
  async exportRendered(req: { bytes: Uint8Array; format: ExportFormat; width: number; height: number; name?: string }): Promise<WrittenFile | null> {
    await checkRendered(req.bytes, req.format, req.width, req.height);
    const base = sanitizeFileName(req.name, 'ad');
    return this.write(base, req.format, async () => req.bytes);
  }

  private async write(base: string, format: ExportFormat, encode: () => Promise<Uint8Array>): Promise<WrittenFile | null> {
    const ext = EXPORT_EXT[format];
    const { dialogs } = this.opts;
    if (dialogs) {
      const chosen = await dialogs.saveExport(join(this.opts.projectsDir, `${base}.${ext}`), format);
      if (!chosen) return null;
      await writeFileAtomic(chosen, await encode());
      return { path: chosen };
    }
    const data = await encode();
    const path = await uniquePath(this.opts.exportsDir, base, ext);
    await writeFileAtomic(path, data, { mkdir: true });
    const url = this.opts.downloadUrl?.(path);
    return url ? { path, downloadUrl: url } : { path };
  }
}
