import { describe, expect, it } from 'vitest';
import { memoryViewSchema } from '../../../../preload/contract/jobs';
import { durationText, engineLabel, etaText, gbText, todoKey, vramLayout } from '../../../../renderer/src/panels/jobs/jobs-format';
import { isMessageKey, makeTranslate } from '../../../../renderer/src/i18n/translate';

const en = makeTranslate('en');
const ko = makeTranslate('ko');

describe('Jobs panel wording', () => {
  it('says the time left the way people say it, in both languages', () => {
    expect(etaText(en, null)).toBe('estimating the time left…');
    expect(etaText(en, 12)).toBe('less than a minute left');
    expect(etaText(en, 170)).toBe('about 3 min left');
    expect(etaText(en, 89 * 60)).toBe('about 89 min left');
    expect(etaText(en, 2 * 3600 + 5 * 60)).toBe('about 2 h 5 min left');
    expect(etaText(ko, 170)).toBe('약 3분 남음');
    expect(etaText(ko, 30)).toBe('1분 안에 끝남');
  });

  it('formats durations and sizes', () => {
    expect(durationText(en, 45_400)).toBe('45 s');
    expect(durationText(en, 72_000)).toBe('1 min 12 s');
    expect(durationText(ko, 72_000)).toBe('1분 12초');
    expect(durationText(en, 3 * 3600_000 + 61_000)).toBe('3 h 1 min');
    expect(gbText(11_264)).toBe('11.0 GB');
    expect(gbText(22 * 1024)).toBe('22.0 GB');
  });

  it('has something to say for every error code, and names the embedded engine', () => {
    for (const code of ['engine', 'engine-busy', 'not-found', 'io', 'bad-request', 'cancelled', 'internal', 'whatever']) expect(isMessageKey(todoKey(code))).toBe(true);
    expect(en(todoKey('engine-busy'))).toMatch(/Retry/);
    expect(engineLabel(en, 'embedded')).toBe('embedded engine');
    expect(engineLabel(ko, 'embedded')).toBe('내장 엔진');
    expect(engineLabel(en, 'simulated-gpu')).toBe('simulated-gpu');
    expect(en('jobs.vram.cpuOnly', { engine: engineLabel(en, 'embedded') })).toBe('CPU only (embedded engine)');
  });
});

describe('VRAM bar layout', () => {
  const gpu = { device: 'gpu' as const, totalMb: 24_576, usedMb: 0, budgetMb: 22_528, simulated: true };

  it('is absent without a GPU (the bar says CPU only instead)', () => {
    expect(vramLayout(memoryViewSchema.parse({ gpu: null, resident: [], simulated: false, engine: 'embedded' }))).toBeNull();
  });

  it('draws one segment per resident GPU model in order, the rest of the used memory, and the budget mark', () => {
    const layout = vramLayout(
      memoryViewSchema.parse({
        gpu: { ...gpu, usedMb: 14_336 },
        resident: [
          { id: 'flux-dev', label: 'FLUX.1-dev', device: 'gpu', footprintMb: 11_264 },
          { id: 'ppocr', label: 'PP-OCR', device: 'cpu', footprintMb: 60 },
          { id: 'lama', label: 'LaMa', device: 'gpu', footprintMb: 1_024 },
        ],
        simulated: true,
        engine: 'simulated-gpu',
      }),
    )!;
    expect(layout.segments.map((s) => [s.id, s.mb])).toEqual([
      ['flux-dev', 11_264],
      ['lama', 1_024],
    ]);
    expect(layout.segments[0]!.startPct).toBe(0);
    expect(layout.segments[0]!.widthPct).toBeCloseTo(45.83, 1);
    expect(layout.segments[1]!.startPct).toBeCloseTo(45.83, 1);
    // 14 GB used, 12 GB of it by models: 2 GB is memory still coming back after an unload (or another program).
    expect(layout.otherMb).toBe(2_048);
    expect(layout.otherStartPct).toBeCloseTo(50, 5);
    expect(layout.budgetPct).toBeCloseTo(91.67, 1);
    expect(layout.ram.map((m) => m.id)).toEqual(['ppocr']);
  });

  it('gives each model its own colour, kept while other models come and go', () => {
    const view = (ids: string[]) =>
      vramLayout(
        memoryViewSchema.parse({
          gpu: { ...gpu, usedMb: ids.length * 1024 },
          resident: ids.map((id) => ({ id, label: id, device: 'gpu', footprintMb: 1024 })),
          simulated: true,
          engine: 'simulated-gpu',
        }),
      )!.segments;
    const colourOf = (ids: string[], id: string) => view(ids).find((s) => s.id === id)!.colour;
    const all = view(['flux-dev', 'lama', 'ppocr-det', 'birefnet', 'sdxl', 'vlm']);
    expect(new Set(all.map((s) => s.colour)).size).toBe(6);
    expect(colourOf(['birefnet', 'flux-dev'], 'flux-dev')).toBe(colourOf(['flux-dev'], 'flux-dev'));
  });

  it('never draws past the end when the accounting exceeds the card', () => {
    const layout = vramLayout(
      memoryViewSchema.parse({
        gpu: { ...gpu, totalMb: 8_000, usedMb: 8_000, budgetMb: 7_000 },
        resident: [
          { id: 'a', label: 'A', device: 'gpu', footprintMb: 6_000 },
          { id: 'b', label: 'B', device: 'gpu', footprintMb: 4_000 },
        ],
        simulated: false,
        engine: 'x',
      }),
    )!;
    const end = layout.segments.at(-1)!;
    expect(end.startPct + end.widthPct).toBeCloseTo(100, 5);
    expect(layout.otherMb).toBe(0);
  });
});
