import { AppError, LIMITS } from '../../../preload/contract/index.js';
import { EXPORT_PRESET_IDS, EXPORT_PRESETS, type ExportPresetId } from '../../../preload/contract/ad-layout.js';

/**
 * Ad sizes: "1080x1350" (or 1080×1350), or a preset name (square, portrait, story, landscape).
 * Anything else is an error that lists what is accepted.
 */
export function parseSize(text: string): { width: number; height: number } {
  const t = text.trim().toLowerCase();
  if (t in EXPORT_PRESETS) return { width: EXPORT_PRESETS[t as ExportPresetId].width, height: EXPORT_PRESETS[t as ExportPresetId].height };
  const m = /^(\d{1,6})\s*[x×*]\s*(\d{1,6})$/.exec(t);
  if (!m) throw new AppError('bad-request', `"${text}" is not a size: use <width>x<height> (e.g. 1080x1350) or one of ${EXPORT_PRESET_IDS.join(', ')}`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 16 || height < 16) throw new AppError('bad-request', `${width}×${height} is too small: at least 16×16`);
  if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) {
    throw new AppError('too-large', `${width}×${height} is over the limit (${LIMITS.maxSide} px per side, ${LIMITS.maxPixels / 1e6} MP)`);
  }
  return { width, height };
}

export { formatFromPath } from '../../core/images/image-format.js';
