import { LIMITS, type ImageMime, IMAGE_MIME } from '../../../preload/contract/limits';
import type { AssetInfo } from '../../../preload/contract/channels';
import { newDocument } from '../document/records';
import type { Editor } from './editor';
import { UiError, unwrap } from './errors';

/** "photo.final.JPG" → "photo.final" (document title). */
export function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).trim() || name;
}

export function isOpenableImage(file: { type: string; name: string }): boolean {
  if ((IMAGE_MIME as readonly string[]).includes(file.type)) return true;
  return /\.(png|jpe?g|webp)$/i.test(file.name);
}

/** Open an already-stored image asset as a new document (asks first if work is unsaved). */
export function openImageAsset(ed: Editor, asset: AssetInfo, fileName: string): void {
  ed.guardUnsaved(() => {
    const doc = newDocument({ title: baseName(fileName), asset, name: fileName });
    // The background upload may have been refused while we asked about unsaved work.
    const refused = ed.assets.uploadError(asset.hash);
    if (refused) {
      ed.fail('error.openFailed', refused);
      return;
    }
    ed.openDocument(doc);
    // Start decoding now so the first frame does not wait on it.
    void ed.assets.getImage(asset.hash).catch(() => {});
  });
}

/** A File from <input>, drop or paste → asset → document. */
export async function openImageFile(ed: Editor, file: File): Promise<void> {
  await ed.attempt('error.openFailed', async () => {
    if (!isOpenableImage(file)) throw new UiError('bad-image', `${file.name}: not a PNG, JPEG or WebP image`);
    if (file.size === 0) throw new UiError('bad-image', `${file.name}: 0 bytes`);
    if (file.size > LIMITS.maxFileBytes) throw new UiError('too-large', `${file.name}: ${Math.round(file.size / 1048576)} MB`);
    ed.session.set({ loading: true });
    try {
      // Checked, hashed and decoded here: it shows at once while the host receives it in the background.
      const asset = await ed.assets.importImage(file, file.name || 'pasted.png');
      openImageAsset(ed, asset, file.name || pastedName(file.type as ImageMime));
    } finally {
      ed.session.set({ loading: false });
    }
  });
}

function pastedName(mime: ImageMime): string {
  const ext = mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
  return `pasted.${ext}`;
}

/** The "Open image" action: native dialog in Electron, the hidden file input in a browser. */
export async function pickImage(ed: Editor): Promise<void> {
  if (ed.platform.mode !== 'electron') {
    ed.ui.pickFile('image');
    return;
  }
  await ed.attempt('error.openFailed', async () => {
    const picked = unwrap(await ed.api.openImageDialog({ kind: 'image' }));
    if (picked) openImageAsset(ed, picked.asset, picked.name);
  });
}

/** First image in a DataTransfer (drop or paste), if any. */
export function imageFromTransfer(dt: DataTransfer | null): File | null {
  if (!dt) return null;
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind === 'file') {
      const f = item.getAsFile();
      if (f && isOpenableImage(f)) return f;
    }
  }
  for (const f of Array.from(dt.files ?? [])) if (isOpenableImage(f)) return f;
  return null;
}
