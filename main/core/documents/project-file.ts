import { stat, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import {
  AppError,
  LIMITS,
  documentSchema,
  referencedAssets,
  type AssetInfo,
  type DocumentJson,
} from '../../../preload/contract/index.js';
import type { AssetStore } from '../assets/asset-store.js';
import { MIME_EXT, sha256Hex } from '../assets/content-hash.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import { assetKinds, checkDocumentVersion } from './document-checks.js';

/**
 * `.adstudio` project = a zip: manifest.json, document.json and assets/<hash>.<ext> for every
 * asset the document references. Assets are stored uncompressed (PNG/JPEG/WebP already are).
 */
export const PROJECT_FORMAT = 'adstudio-project';
export const PROJECT_FORMAT_VERSION = 1;
export const PROJECT_EXT = 'adstudio';

const MAX_JSON_BYTES = 64 * 2 ** 20;
/** Bigger than any sensible project; keeps a hostile file from being read into memory whole. */
const MAX_PROJECT_BYTES = 2 * 2 ** 30;
const ASSET_ENTRY = /^assets\/([0-9a-f]{64})\.(png|jpg|jpeg|webp)$/;

export interface ProjectManifest {
  format: typeof PROJECT_FORMAT;
  version: number;
  appVersion: string;
  savedAt: string;
}

export interface OpenedProject {
  document: DocumentJson;
  assets: AssetInfo[];
}

export async function saveProjectFile(path: string, doc: DocumentJson, store: AssetStore, appVersion: string): Promise<void> {
  const document = documentSchema.parse(doc);
  const manifest: ProjectManifest = { format: PROJECT_FORMAT, version: PROJECT_FORMAT_VERSION, appVersion, savedAt: new Date().toISOString() };
  const entries: Zippable = {
    'manifest.json': [strToU8(JSON.stringify(manifest, null, 2)), { level: 6 }],
    'document.json': [strToU8(JSON.stringify(document)), { level: 6 }],
  };
  for (const hash of referencedAssets(document)) {
    const info = await store.require(hash, 'image the project uses');
    entries[`assets/${hash}.${MIME_EXT[info.mime]}`] = [await store.read(hash), { level: 0 }];
  }
  await writeFileAtomic(path, zipSync(entries), {});
}

/** Read the document id only (cheap: assets are not inflated). null if it is not a readable project. */
export async function readProjectDocumentId(path: string): Promise<string | null> {
  try {
    const files = unzipSync(new Uint8Array(await readFile(path)), { filter: (f) => f.name === 'document.json' && f.originalSize <= MAX_JSON_BYTES });
    const doc = JSON.parse(strFromU8(files['document.json'] ?? new Uint8Array())) as { id?: unknown };
    return typeof doc.id === 'string' ? doc.id : null;
  } catch {
    return null;
  }
}

export async function openProjectFile(path: string, store: AssetStore): Promise<OpenedProject> {
  const files = unzipProject(await readProject(path), path);
  const manifest = parseJson(files['manifest.json'], 'manifest.json', path) as Partial<ProjectManifest>;
  if (manifest.format !== PROJECT_FORMAT) throw bad(path, 'manifest.json does not describe an adstudio project');
  if (typeof manifest.version !== 'number' || manifest.version > PROJECT_FORMAT_VERSION) {
    if (typeof manifest.version === 'number') throw newer(manifest.version);
    throw bad(path, 'manifest.json has no format version');
  }
  const raw = parseJson(files['document.json'], 'document.json', path);
  checkDocumentVersion(raw, (version) => newer(version));
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'document'}: ${i.message}`);
    throw bad(path, `document.json is invalid (${issues.join('; ')})`);
  }
  const document = parsed.data;

  const byHash = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(files)) {
    const m = ASSET_ENTRY.exec(name);
    if (m?.[1]) byHash.set(m[1], bytes);
  }
  const kinds = assetKinds(document);
  const assets: AssetInfo[] = [];
  for (const hash of referencedAssets(document)) {
    const bytes = byHash.get(hash);
    if (!bytes) throw bad(path, `the image ${hash.slice(0, 12)}… that the document uses is missing from the file`);
    if (sha256Hex(bytes) !== hash) throw bad(path, `the image ${hash.slice(0, 12)}… is damaged (its content does not match its name)`);
    try {
      assets.push(await store.put(bytes, kinds.get(hash) ?? 'image'));
    } catch (e) {
      if (e instanceof AppError && (e.code === 'bad-image' || e.code === 'too-large')) throw bad(path, `an image inside it cannot be used: ${e.message}`);
      throw e;
    }
  }
  return { document, assets };
}

async function readProject(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('bad-project', `${path} is not a project file`);
    size = s.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('not-found', `Project not found: ${path}`);
  }
  if (size === 0) throw bad(path, 'the file is empty (0 bytes)');
  if (size > MAX_PROJECT_BYTES) throw new AppError('too-large', `${path} is larger than ${MAX_PROJECT_BYTES / 2 ** 30} GB`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new AppError('io', `Cannot read ${path} in ${dirname(path)}: ${(e as Error).message}`);
  }
}

/** Inflate only the parts we know, each within a size limit (a zip bomb must not fill memory). */
function unzipProject(data: Uint8Array, path: string): Record<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, {
      filter: (f) => {
        const isJson = f.name === 'manifest.json' || f.name === 'document.json';
        const isAsset = ASSET_ENTRY.test(f.name);
        if (!isJson && !isAsset) return false;
        if (f.originalSize > (isJson ? MAX_JSON_BYTES : LIMITS.maxFileBytes)) throw new AppError('bad-project', `${f.name} is too large`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof AppError) throw bad(path, e.message);
    throw bad(path, 'it is not a zip archive or it is damaged');
  }
  if (!files['manifest.json'] || !files['document.json']) throw bad(path, `it has no ${files['manifest.json'] ? 'document.json' : 'manifest.json'}`);
  return files;
}

function parseJson(bytes: Uint8Array | undefined, name: string, path: string): unknown {
  try {
    return JSON.parse(strFromU8(bytes ?? new Uint8Array()));
  } catch {
    throw bad(path, `${name} is not valid JSON`);
  }
}

function bad(path: string, why: string): AppError {
  return new AppError('bad-project', `Cannot open ${path}: ${why}.`);
}

function newer(version: number): AppError {
  return new AppError('newer-version', `This project was made by a newer adstudio (format ${version}); update adstudio to open it`);
}

