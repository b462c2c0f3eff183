import type { MessageKey, Translate } from '../../i18n/translate';
import type { MemoryView } from './jobs-model';

/** "about 3 min left": rounded the way people say it; null = not known yet. */
export function etaText(t: Translate, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return t('jobs.eta.unknown');
  if (seconds < 60) return t('jobs.eta.soon');
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return t('jobs.eta.minutes', { n: minutes });
  return t('jobs.eta.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** "1 min 12 s", "45 s", "2 h 5 min". */
export function durationText(t: Translate, ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return t('jobs.time.seconds', { s: total });
  if (total < 3600) return t('jobs.time.minutes', { m: Math.floor(total / 60), s: total % 60 });
  return t('jobs.time.hours', { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60) });
}

/** MB as the scheduler counts them (1 GB = 1024 MB, like the budget "22 GB"), one decimal. */
export function gbText(mb: number): string {
  return `${(mb / 1024).toFixed(1)} GB`;
}

/** The engine's name for people: the embedded engine is translated, others are ids. */
export function engineLabel(t: Translate, engine: string): string {
  return engine === 'embedded' ? t('jobs.vram.embedded') : engine;
}

const TODO: Record<string, MessageKey> = {
  'engine-busy': 'jobs.todo.engine-busy',
  engine: 'jobs.todo.engine',
  'not-found': 'jobs.todo.not-found',
  io: 'jobs.todo.io',
  'bad-request': 'jobs.todo.bad-request',
  cancelled: 'jobs.todo.cancelled',
};

/** What to do about a failed job, by its error code. */
export function todoKey(code: string): MessageKey {
  return TODO[code] ?? 'jobs.todo.other';
}

export interface VramSegment {
  id: string;
  label: string;
  mb: number;
  /** Position and width on the bar, % of the card. */
  startPct: number;
  widthPct: number;
  /** Index into the bar's palette: from the model id, so a model keeps its colour as others come and go. */
  colour: number;
}

export interface VramLayout {
  totalMb: number;
  usedMb: number;
  budgetMb: number;
  segments: VramSegment[];
  /** Used memory no resident model accounts for (memory still coming back after an unload, other programs). */
  otherMb: number;
  otherStartPct: number;
  otherPct: number;
  budgetPct: number;
  /** Models held in RAM (CPU models): listed, never drawn on the VRAM bar. */
  ram: MemoryView['resident'];
}

export const VRAM_PALETTE_SIZE = 6;

/** The VRAM bar's geometry: one segment per resident GPU model, then the rest of the used memory, then the budget mark. */
export function vramLayout(memory: MemoryView): VramLayout | null {
  const gpu = memory.gpu;
  if (!gpu) return null;
  const models = memory.resident.filter((m) => m.device === 'gpu');
  const accounted = models.reduce((sum, m) => sum + m.footprintMb, 0);
  // Never draw past the bar's end, even if the accounting and the card disagree.
  const scale = Math.max(gpu.totalMb, accounted, gpu.usedMb, 1);
  const pct = (mb: number) => (mb / scale) * 100;
  let at = 0;
  const taken = new Set<number>();
  const segments = models.map((m) => {
    // The id's own colour, or the next free one when two resident models share it.
    let colour = hash(m.id) % VRAM_PALETTE_SIZE;
    while (taken.has(colour) && taken.size < VRAM_PALETTE_SIZE) colour = (colour + 1) % VRAM_PALETTE_SIZE;
    taken.add(colour);
    const seg: VramSegment = { id: m.id, label: m.label, mb: m.footprintMb, startPct: pct(at), widthPct: pct(m.footprintMb), colour };
    at += m.footprintMb;
    return seg;
  });
  const otherMb = Math.max(0, gpu.usedMb - accounted);
  return {
    totalMb: gpu.totalMb,
    usedMb: gpu.usedMb,
    budgetMb: gpu.budgetMb,
    segments,
    otherMb,
    otherStartPct: pct(at),
    otherPct: pct(otherMb),
    budgetPct: Math.min(100, pct(gpu.budgetMb)),
    ram: memory.resident.filter((m) => m.device === 'cpu'),
  };
}

/** FNV-1a of a string: a small, stable number per model id. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
