import type { DocumentStore } from '../document/types';
import { createAdTestApi, type AdTestApi } from '../editor/ad/ad-test-support';
import type { Editor } from '../editor/editor';

/** Timings the app records for tests and `npm run bench:editor` (only with ?test=1). */
export interface TestMetrics {
  /** performance.now() of the first frame that drew the open document's image (null until then). */
  firstPaintAt: number | null;
  /** …and of the first frame that drew it at full resolution (later than firstPaintAt when a preview came first). */
  fullPaintAt: number | null;
  /** Per pointer sample during a stroke (coalesced ones included): ms from its timeStamp to the next animation frame after the handler drew it. */
  moveLatencies: number[];
  /** Per pointermove handler during a stroke: ms from the handler's start to that frame (our work, not the wait for input). */
  moveWork: number[];
}

export interface AdstudioTestHook {
  /** The open document's store (null on the welcome screen). */
  readonly store: DocumentStore | null;
  getZoom(): number;
  readonly editor: Editor;
  readonly metrics: TestMetrics;
  /** Forget recorded timings (e.g. before opening the next image). */
  resetMetrics(): void;
  /** Resolves when queued mask commits reached history and every background upload reached the host. */
  settle(): Promise<void>;
  /** The mask the enabled proposed text regions make (image-sized, 255 = text); null when none are proposed. */
  proposedTextMask(): Promise<Uint8Array | null>;
  /** Build, inspect and render ads (the ad canvas). */
  readonly ad: AdTestApi;
}

declare global {
  interface Window {
    __adstudioTest?: AdstudioTestHook;
  }
}

let metrics: TestMetrics | null = null;

/** The metrics to record into, or null outside test mode (then nothing is measured at all). */
export function testMetrics(): TestMetrics | null {
  return metrics;
}

function isTestMode(): boolean {
  return typeof location !== 'undefined' && new URLSearchParams(location.search).get('test') === '1';
}

/** End-to-end tests read state through this, and only when the page was opened with ?test=1. */
export function installTestHook(ed: Editor): void {
  if (!isTestMode()) return;
  const m: TestMetrics = { firstPaintAt: null, fullPaintAt: null, moveLatencies: [], moveWork: [] };
  metrics = m;
  window.__adstudioTest = {
    get store() {
      return ed.store();
    },
    getZoom: () => ed.session.get().viewport.zoom,
    editor: ed,
    metrics: m,
    resetMetrics() {
      m.firstPaintAt = null;
      m.fullPaintAt = null;
      m.moveLatencies.length = 0;
      m.moveWork.length = 0;
    },
    async settle() {
      await ed.mask.idle();
      await ed.assets.whenUploaded();
    },
    proposedTextMask: () => ed.textRegions.proposedMask(),
    ad: createAdTestApi(ed),
  };
}
