import { createHash } from 'node:crypto';
import type { ImageMime } from '../../../preload/contract/index.js';

/** Assets are named by the sha-256 of their encoded bytes (lowercase hex). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const HASH_RE = /^[0-9a-f]{64}$/;

export const MIME_EXT: Record<ImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
export const EXT_MIME: Record<string, ImageMime> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };
