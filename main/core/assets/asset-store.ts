import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, assetInfoSchema, type AssetInfo } from '../../../preload/contract/index.js';
import { decodeImage, decodeMask, probeImage } from '../images/image-codec.js';
import type { RawImage } from '../images/raw-image.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import { HASH_RE, MIME_EXT, sha256Hex } from './content-hash.js';
import { encodePng } from './encode-png.js';

export type AssetKind = AssetInfo['kind'];

/**
 * Content-addressed bitmaps: `<dir>/<hh>/<hash>.<ext>` plus `<hash>.json` (the AssetInfo), so
 * answering "what is this asset" never decodes it. Assets are immutable; the same bytes are
 * stored once. Nothing enters the store without a full decode, so every stored asset is usable.
 */
export class AssetStore {
  /** Same-hash puts in flight share one promise (the file is written once). */
  private readonly pending = new Map<string, Promise<AssetInfo>>();

  constructor(readonly dir: string) {}

  /** Validate (header + full decode) and store encoded PNG/JPEG/WebP bytes. */
  async put(bytes: Uint8Array, kind: AssetKind, name?: string): Promise<AssetInfo> {
    const label = name ? `"${name}"` : kind;
    if (bytes.byteLength === 0) throw new AppError('bad-image', `${label} is empty (0 bytes)`);
    const hash = sha256Hex(bytes);
    return this.once(hash, kind, async () => {
      const probe = await probeImage(bytes, label);
      // A full decode catches truncated or corrupt data that a header read cannot.
      if (kind === 'mask') await decodeMask(bytes, undefined, label);
      else await decodeImage(bytes, 4, label);
      return this.write(bytes, { hash, kind, mime: probe.mime, width: probe.width, height: probe.height, bytes: bytes.byteLength }, name);
    });
  }

  /** Store pixels we produced ourselves (inpaint results, masks): lossless PNG. */
  async putRaw(raw: RawImage, kind: AssetKind): Promise<AssetInfo> {
    const bytes = await encodePng(raw);
    const hash = sha256Hex(bytes);
    return this.once(hash, kind, () =>
      this.write(bytes, { hash, kind, mime: 'image/png', width: raw.width, height: raw.height, bytes: bytes.byteLength }),
    );
  }

  async info(hash: string): Promise<AssetInfo | null> {
    if (!HASH_RE.test(hash)) return null;
    let parsed: AssetInfo;
    try {
      parsed = assetInfoSchema.parse(JSON.parse(await readFile(this.sidecarPath(hash), 'utf8')));
    } catch {
      return null;
    }
    if (parsed.hash !== hash) return null;
    // The sidecar is written after the bitmap, but the bitmap may have been deleted by hand.
    const s = await stat(this.bitmapPath(parsed)).catch(() => null);
    return s?.isFile() ? parsed : null;
  }

  /** Like info() but a missing asset is an error a person can understand. */
  async require(hash: string, what = 'image'): Promise<AssetInfo> {
    const info = await this.info(hash);
    if (!info) throw new AppError('not-found', `The ${what} ${hash.slice(0, 12)}… is not in the asset store (it may have been deleted)`);
    return info;
  }

  async file(hash: string): Promise<{ path: string; mime: string } | null> {
    const info = await this.info(hash);
    return info ? { path: this.bitmapPath(info), mime: info.mime } : null;
  }

  async read(hash: string): Promise<Uint8Array> {
    const info = await this.require(hash, 'asset');
    return new Uint8Array(await readFile(this.bitmapPath(info)));
  }

  private once(hash: string, kind: AssetKind, store: () => Promise<AssetInfo>): Promise<AssetInfo> {
    const running = this.pending.get(hash);
    if (running) return running.then((info) => ({ ...info, kind }));
    const job = (async () => {
      const existing = await this.info(hash);
      // One file per content; the kind a caller asked for is what it gets back.
      if (existing) return { ...existing, kind };
      return store();
    })().finally(() => this.pending.delete(hash));
    this.pending.set(hash, job);
    return job;
  }

  private async write(bytes: Uint8Array, info: AssetInfo, name?: string): Promise<AssetInfo> {
    await writeFileAtomic(this.bitmapPath(info), bytes, { mkdir: true });
    const sidecar = { ...info, ...(name ? { name } : {}), storedAt: new Date().toISOString() };
    await writeFileAtomic(this.sidecarPath(info.hash), JSON.stringify(sidecar), { mkdir: true });
    return info;
  }

  private bitmapPath(info: Pick<AssetInfo, 'hash' | 'mime'>): string {
    return join(this.dir, info.hash.slice(0, 2), `${info.hash}.${MIME_EXT[info.mime]}`);
  }

  private sidecarPath(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }
}
