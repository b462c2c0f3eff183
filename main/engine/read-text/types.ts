import type { RawImage } from '../../core/images/raw-image.js';
import type { TextRegion } from '../detect-text/types.js';

/** What the reader needs of a detected region (a TextRegion fits as is). */
export type ReadableRegion = Pick<TextRegion, 'polygon' | 'lineHeight' | 'angle'>;

export interface ReadTextRequest {
  /** RGB, RGBA or grey, the image the regions were detected in; not modified. */
  image: RawImage;
  regions: readonly ReadableRegion[];
  signal?: AbortSignal;
  /** 0..1, monotonic. */
  onProgress?: (progress: number, message?: string) => void;
}

/**
 * Reads the copy of detected text regions (Tesseract LSTM, Korean + English, offline) in a worker
 * thread that stays loaded between calls. Calls run one after another.
 */
export interface TextReader {
  /** One entry per region, same order: the trimmed text, or null when nothing legible was found. */
  read(request: ReadTextRequest): Promise<Array<string | null>>;
  /** Stops the worker; a read in flight rejects with AppError('cancelled'). */
  close(): Promise<void>;
}

export type OcrLanguage = 'kor' | 'eng';

export interface TextReaderOptions {
  /** Tesseract languages, the first one primary; default ['kor', 'eng']. */
  languages?: OcrLanguage[];
  /**
   * Folder holding `<lang>.traineddata.gz` per language; default the installed
   * @tesseract.js-data/<lang>/4.0.0_best_int (LSTM, integer weights: what tesseract.js itself picks).
   */
  dataDirs?: Partial<Record<OcrLanguage, string>>;
  /** Mean word confidence (0..100) below which a region reads as null; default 50. */
  minConfidence?: number;
  /** Glyph height lines are scaled to before recognition, px; default 32 (Tesseract reads ~30-50 px best). */
  targetHeight?: number;
}
