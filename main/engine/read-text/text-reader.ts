import { AppError } from '../../../preload/contract/index.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { sampleLine, toneLine, toPgm, type CropLayout, type CropTone, type SampledLine } from './line-crop.js';
import { defaultDataDir, tesseractWorkerPath, traineddataFile } from './tesseract-paths.js';
import { TesseractThread } from './tesseract-thread.js';
import type { OcrLanguage, ReadableRegion, ReadTextRequest, TextReader, TextReaderOptions } from './types.js';

/** Tesseract's OEM 1: the LSTM recogniser only (what the *_best_int data holds). */
const OEM_LSTM_ONLY = 1;
/** Page segmentation modes: one line; one block (a column of upright glyphs reads as one glyph per line). */
const PSM_SINGLE_LINE = '7';
const PSM_SINGLE_BLOCK = '6';
/** A steep region may be a rotated line or a column of upright glyphs: try the layouts, keep the surest. */
const STEEP_DEGREES = 60;
/**
 * Tones tried in order while unsure: colour distance from the background reads most copy (any hue,
 * outlines); luminance of light or dark text rescues light fill in a dark outline or shadow.
 */
const TONES: readonly CropTone[] = ['distance', 'lighter', 'darker'];
/** Confidence (0..100) that ends the search among layouts and tones. */
const SURE = 85;
/** Lines with smaller glyphs (px) are not read: Tesseract only guesses at them. */
const MIN_GLYPH = 6;
/** Share of the progress bar the first start (wasm + traineddata) takes. */
const START_SHARE = 0.25;

interface LayoutChoice {
  layout: CropLayout;
  psm: string;
}

interface Recognised {
  text: string;
  confidence: number;
  layout: LayoutChoice;
}

/**
 * Reads the copy of detected text regions with Tesseract (tesseract.js 7, LSTM, Korean + English
 * from the @tesseract.js-data packages, entirely offline) in one worker thread, started on first use
 * and kept loaded. Each region is cut out along its angle, scaled to ~32 px glyphs and toned to
 * black on white, then read as a single line; unsure readings are retried in other tones (and, for
 * steep regions, layouts) and the surest kept.
 *
 * Cancelling (signal) between regions stops before the next one; during a recognition the worker
 * thread is terminated (Tesseract is wasm in its own isolate, so that is safe) and the next read
 * starts a fresh one (~0.5 s).
 */
export function createTextReader(options: TextReaderOptions = {}): TextReader {
  const languages: OcrLanguage[] = options.languages?.length ? [...options.languages] : ['kor', 'eng'];
  const minConfidence = options.minConfidence ?? 50;
  const targetHeight = options.targetHeight ?? 32;
  let current: { thread: TesseractThread; ready: Promise<void> } | null = null;
  let closed = false;
  /** Reads run one at a time on the one thread. */
  let queue: Promise<unknown> = Promise.resolve();

  function start(onProgress: (p: number) => void): { thread: TesseractThread; ready: Promise<void> } {
    // Resolve every path first: a missing package or file fails here with a clear message.
    const workerPath = tesseractWorkerPath();
    const data = languages.map((lang) => {
      const dir = options.dataDirs?.[lang] ?? defaultDataDir(lang);
      traineddataFile(dir, lang);
      return { lang, dir };
    });
    const thread = new TesseractThread(workerPath);
    const ready = (async () => {
      await thread.run('load', { options: { lstmOnly: true, logging: false } });
      onProgress(0.4);
      for (const [i, { lang, dir }] of data.entries()) {
        // A local langPath makes tesseract.js read `<dir>/<lang>.traineddata.gz` from disk; without
        // one it would fetch from a CDN. cacheMethod 'none': no cache read or written anywhere.
        await thread.run('loadLanguage', { langs: lang, options: { langPath: dir, cacheMethod: 'none', gzip: true, lstmOnly: true } });
        onProgress(0.4 + (0.4 * (i + 1)) / data.length);
      }
      await thread.run('initialize', { langs: languages.join('+'), oem: OEM_LSTM_ONLY });
      onProgress(1);
    })();
    ready.catch(() => {
      if (current?.thread === thread) current = null;
      void thread.terminate(new AppError('engine', 'the text reader did not start'));
    });
    return { thread, ready };
  }

  function stopThread(reason: AppError): Promise<void> {
    if (!current) return Promise.resolve();
    const { thread } = current;
    current = null;
    return thread.terminate(reason);
  }

  async function readAll({ image, regions, signal, onProgress }: ReadTextRequest): Promise<Array<string | null>> {
    const cancelled = () => new AppError('cancelled', closed ? 'the text reader was closed' : 'reading the text was cancelled');
    if (closed || signal?.aborted) throw cancelled();
    if (regions.length === 0) return [];
    let last = 0;
    const report = (p: number, message: string) => {
      const v = Math.min(1, Math.max(last, p));
      if (v > last) {
        last = v;
        onProgress?.(v, message);
      }
    };
    // Between recognitions the loop stops by itself; one in flight is only stopped by ending its thread.
    const onAbort = () => {
      if (current?.thread.busy) void stopThread(cancelled());
    };
    const check = () => {
      if (signal?.aborted || closed) throw cancelled();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const startShare = current ? 0 : START_SHARE;
      current ??= start((p) => report(p * startShare, 'starting the text reader'));
      const { thread, ready } = current;
      await ready;
      check();
      const texts: Array<string | null> = [];
      const span = 1 - startShare;
      for (const [i, region] of regions.entries()) {
        const at = (p: number) => report(startShare + (span * (i + p)) / regions.length, 'reading text');
        texts.push(await readRegion(thread, image, region, at, check));
        at(1);
      }
      return texts;
    } catch (err) {
      // Stopping the thread mid-job rejects that job with an engine error; the caller asked for it.
      if (signal?.aborted || closed) throw cancelled();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function readRegion(thread: TesseractThread, image: RawImage, region: ReadableRegion, at: (p: number) => void, check: () => void): Promise<string | null> {
    if (region.lineHeight < MIN_GLYPH) return null;
    const layouts = layoutsFor(region);
    // At most: each layout in the first tone, then the other tones in the best layout.
    const planned = layouts.length + TONES.length - 1;
    let done = 0;
    let best = null as Recognised | null; // (the cast keeps TS from narrowing to null: closures assign it)
    const sampled = new Map<LayoutChoice, SampledLine>();
    const attempt = async (layout: LayoutChoice, tone: CropTone): Promise<void> => {
      check();
      let line = sampled.get(layout);
      if (!line) sampled.set(layout, (line = sampleLine(image, region, layout.layout, targetHeight)));
      const crop = toneLine(line, tone);
      if (!crop.contrast) return;
      const result = await thread.run<{ text?: unknown; confidence?: unknown }>(
        'recognize',
        // user_defined_dpi: PGM has no resolution; 300 keeps Tesseract from guessing (and printing about it).
        { image: toPgm(crop), options: { tessedit_pageseg_mode: layout.psm, user_defined_dpi: '300' }, output: { text: true } },
        (p) => at((done + p) / planned),
      );
      done++;
      const text = tidy(typeof result.text === 'string' ? result.text : '', layout);
      const confidence = typeof result.confidence === 'number' ? result.confidence : 0;
      if (text && (!best || confidence > best.confidence)) best = { text, confidence, layout };
    };
    const sure = () => best !== null && best.confidence >= SURE;
    for (const layout of layouts) {
      await attempt(layout, 'distance');
      if (sure()) break;
    }
    for (const tone of TONES.slice(1)) {
      if (sure()) break;
      await attempt(best?.layout ?? layouts[0]!, tone);
    }
    return best && best.confidence >= minConfidence ? best.text : null;
  }

  return {
    read(request) {
      if (closed) return Promise.reject(new AppError('engine', 'the text reader is closed'));
      try {
        validate(request.image, request.regions);
      } catch (e) {
        return Promise.reject(e as Error);
      }
      const run = queue.then(() => readAll(request));
      queue = run.catch(() => undefined);
      const { signal } = request;
      if (!signal) return run;
      // A read still waiting for an earlier one gives up at once when cancelled (it then skips its turn).
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(new AppError('cancelled', 'reading the text was cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
        run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    async close() {
      closed = true;
      await stopThread(new AppError('cancelled', 'the text reader was closed'));
      await queue;
    },
  };
}

function layoutsFor(region: ReadableRegion): LayoutChoice[] {
  if (Math.abs(region.angle) < STEEP_DEGREES) return [{ layout: 'line', psm: PSM_SINGLE_LINE }];
  return [
    { layout: 'upright', psm: PSM_SINGLE_BLOCK },
    { layout: 'line', psm: PSM_SINGLE_LINE },
    { layout: 'flipped', psm: PSM_SINGLE_LINE },
  ];
}

/** One line of text: whitespace collapsed; a column read glyph by glyph loses the breaks between Hangul. */
function tidy(raw: string, layout: LayoutChoice): string {
  let text = raw;
  if (layout.psm === PSM_SINGLE_BLOCK) text = text.replace(/(?<=[\p{Script=Hangul}])\s*\n\s*(?=[\p{Script=Hangul}])/gu, '');
  text = text.replace(/\s+/g, ' ').trim();
  // Only marks and punctuation ("|", "—", "..."): Tesseract's reading of a texture, not copy.
  return /[\p{L}\p{N}]/u.test(text) ? text : '';
}

function validate(image: RawImage, regions: readonly ReadableRegion[]): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || ![1, 3, 4].includes(channels) || data.length !== width * height * channels) {
    throw new AppError('bad-request', `the image to read is malformed (${width}×${height}×${channels}, ${data.length} bytes)`);
  }
  for (const r of regions) {
    if (!Array.isArray(r.polygon) || r.polygon.length < 3 || r.polygon.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1])) || !Number.isFinite(r.angle)) {
      throw new AppError('bad-request', 'a text region to read has no valid polygon or angle');
    }
  }
}
