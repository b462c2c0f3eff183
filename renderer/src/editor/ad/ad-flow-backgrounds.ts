import type { AssetInfo } from '../../../../preload/contract/channels';
import { adParts, newBackgroundRecord, type BackgroundRecord } from '../../document/ad-records';
import { keyBetween } from '../../document/fractional-index';
import type { Draft } from '../../document/types';
import type { MessageKey } from '../../i18n/translate';
import type { Editor } from '../editor';
import { unwrap } from '../errors';
import type { AdBackgroundCandidate, AdBackgroundsState } from '../session-state';
import { runHostJob, type JobEnd } from './ad-flow-jobs';

/** The first set is seed 1 (reproducible); "More" moves to the next seed. */
export const FIRST_SEED = 1;

export function nextSeed(seed: number): number {
  return (seed + 1) >>> 0 || 1;
}

/** Which candidate the ad's background shows now (-1: none of them). */
export function selectedCandidate(candidates: readonly AdBackgroundCandidate[], background: BackgroundRecord | null): number {
  if (!background) return -1;
  return candidates.findIndex((c) => c.asset.hash === background.props.asset);
}

/** Put `candidate` in as the ad's background: swap the record's pixels, or add one at the bottom. */
export function applyCandidate(d: Draft, candidate: AdBackgroundCandidate, name: string): string {
  const fields = { asset: candidate.asset.hash, width: candidate.asset.width, height: candidate.asset.height, madeBy: candidate.madeBy.slice(0, 300) };
  const existing = d.all().find((r): r is BackgroundRecord => r.type === 'background');
  if (existing) {
    d.update<BackgroundRecord>(existing.id, (r) => ({ ...r, props: { ...r.props, ...fields } }));
    return existing.id;
  }
  const lowest = d
    .all()
    .map((r) => r.z)
    .sort()[0];
  const record = newBackgroundRecord({ asset: candidate.asset, madeBy: candidate.madeBy, name, z: keyBetween(null, lowest ?? null) });
  d.put(record);
  return record.id;
}

export type JobEndCandidates = NonNullable<JobEnd['candidates']>;

export function toCandidates(list: JobEndCandidates): AdBackgroundCandidate[] {
  return list.map((c) => ({ asset: c.asset as AssetInfo, madeBy: c.madeBy, ...(c.preset ? { preset: c.preset } : {}), ...(c.seed !== undefined ? { seed: c.seed } : {}) }));
}

/**
 * The end of a job as the user should hear it: done → the payload; cancelled → "cancelled";
 * failed → the engine's own words under `failTitle` (no foreground, a refused prompt, engine down).
 */
export function doneOrNotify(ed: Pick<Editor, 'notify'>, end: JobEnd | null, failTitle: MessageKey): JobEnd | null {
  if (!end) return null;
  if (end.status === 'cancelled') {
    ed.notify('info', 'job.cancelled');
    return null;
  }
  if (end.status === 'failed') {
    ed.notify('error', failTitle, undefined, end.error?.message, end.error?.code ?? 'engine');
    return null;
  }
  return end;
}

export interface DrawRequest {
  width: number;
  height: number;
  /** The cut-out whose colours the backdrops take. */
  paletteFrom?: string;
  seed: number;
  prompt?: string | null;
}

/** Run one background job; the candidates, or null (already said why). */
export async function drawCandidates(ed: Editor, req: DrawRequest): Promise<AdBackgroundCandidate[] | null> {
  const end = await runHostJob(ed, 'backgrounds', 'ad.error.backgroundsFailed', async () => {
    await ed.waitForUploads();
    const prompt = req.prompt?.trim();
    const { jobId } = unwrap(
      await ed.api.startBackgrounds({
        width: req.width,
        height: req.height,
        seed: req.seed,
        ...(req.paletteFrom ? { paletteFrom: req.paletteFrom } : {}),
        ...(prompt ? { prompt: prompt.slice(0, 2000) } : {}),
      }),
    );
    return jobId;
  });
  const done = doneOrNotify(ed, end, 'ad.error.backgroundsFailed');
  if (!done) return null;
  const list = toCandidates(done.candidates ?? []);
  if (list.length === 0) {
    ed.notify('error', 'ad.error.noCandidates');
    return null;
  }
  return list;
}

/** "More" (and a prompt): another set for the open ad at its size, coloured from its first product. */
export async function moreBackgrounds(ed: Editor, prompt: string | null): Promise<void> {
  const doc = ed.document();
  if (!doc || doc.kind !== 'ad') return;
  const serial = ed.session.get().docSerial;
  const prev = ed.session.get().adBackgrounds;
  const seed = prev && prev.docSerial === serial ? nextSeed(prev.seed) : FIRST_SEED + 1;
  const product = adParts(doc).layers.find((l) => l.type === 'product');
  const candidates = await drawCandidates(ed, { width: doc.width, height: doc.height, seed, prompt, ...(product ? { paletteFrom: product.props.asset } : {}) });
  if (!candidates || ed.session.get().docSerial !== serial) return;
  const state: AdBackgroundsState = { docSerial: serial, width: doc.width, height: doc.height, seed, prompt: prompt?.trim() || null, candidates };
  ed.session.set({ adBackgrounds: state });
}

/** A thumbnail was clicked: that candidate becomes the background (one undo step). */
export function chooseBackground(ed: Editor, index: number, name: string): void {
  const store = ed.store();
  const c = ed.session.get().adBackgrounds?.candidates[index];
  if (!store || !c) return;
  store.transact('ad.history.background', (d) => void applyCandidate(d, c, name));
}
