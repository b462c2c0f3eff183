import type { TextRegion } from '../detect-text/types.js';

export type { OcrLanguage, ReadableRegion, ReadTextRequest, TextReader, TextReaderOptions } from './types.js';
export { createTextReader } from './text-reader.js';

/** The regions with what was read filled in (`texts` from TextReader.read, same order); unread ones keep no text. */
export function withTexts(regions: readonly TextRegion[], texts: ReadonlyArray<string | null>): TextRegion[] {
  return regions.map((region, i) => {
    const text = texts[i];
    return typeof text === 'string' ? { ...region, text } : region;
  });
}
