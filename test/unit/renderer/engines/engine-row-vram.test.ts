import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../../preload/contract/channels';
import type { Lang } from '../../../../renderer/src/i18n/translate';
import type { EngineMemoryState } from '../../../../renderer/src/panels/engines/engine-vram';
import { engineSnapshot, renderRow, text, type Snapshot } from './engine-row-render';

type Memory = ResponseOf<'getEngineMemory'>;

const row = (engine: Snapshot, memory: EngineMemoryState | undefined, lang: Lang = 'en', custom = false) => renderRow(engine, { memory, lang, custom });
const reading = (m: Omit<Memory, 'checkedAt'>): EngineMemoryState => ({ memory: { ...m, checkedAt: 1 } });

describe('the Engines panel row: VRAM from the running engine, drawn by the Jobs panel\'s VRAM bar', () => {
  it('a simulated adstudio engine: the bar with the budget mark, the resident model, and the SIMULATED badge', () => {
    const html = row(
      engineSnapshot('sim'),
      reading({ profile: 'sim', gpu: { usedMb: 4096, totalMb: 16_384, budgetMb: 14_336, simulated: true }, resident: [{ id: 'sdxl', label: 'SDXL', device: 'gpu', footprintMb: 3072 }], simulated: true }),
    );
    expect(html).toContain('data-testid="engine-vram-sim"');
    expect(html).toContain('data-testid="vram-simulated"');
    expect(html).toMatch(/role="meter"[^>]*aria-valuemax="16384"[^>]*aria-valuenow="4096"/);
    expect(html).toContain('class="vram-budget"');
    expect(html).toContain('data-testid="vram-seg-sdxl"');
    expect(text(html)).toContain('4.0 GB used · 14.0 GB budget · 16.0 GB card');
    // Each row's bar has its own heading id, so several bars on screen stay labelled correctly.
    expect(html).toContain('aria-labelledby="engine-vram-title-sim"');
    expect(html).toContain('id="engine-vram-title-sim"');
  });

  it('nanoCocoa has no budget: no budget mark, "used of card", no SIMULATED badge', () => {
    const html = row(engineSnapshot('nanococoa', { gpu: true }), reading({ profile: 'nanococoa', gpu: { usedMb: 11_520, totalMb: 23_040, simulated: false }, resident: [], simulated: false }));
    expect(html).toContain('role="meter"');
    expect(html).not.toContain('vram-budget');
    expect(html).not.toContain('vram-simulated');
    expect(text(html)).toContain('11.3 GB used of 22.5 GB');
  });

  it('an adstudio engine on the CPU says "CPU only" instead of drawing a bar', () => {
    const html = row(engineSnapshot('adstudio-engine'), reading({ profile: 'adstudio-engine', gpu: null, resident: [], simulated: false }));
    expect(html).toContain('data-testid="vram-cpu-only"');
    expect(html).not.toContain('role="meter"');
    expect(text(html)).toContain('CPU only (adstudio-engine)');
    expect(text(row(engineSnapshot('adstudio-engine'), reading({ profile: 'adstudio-engine', gpu: null, resident: [], simulated: false }), 'ko'))).toContain('CPU만 사용');
  });

  it('before the first reading, on a failed one, and while the engine is not running: words, never numbers', () => {
    expect(text(row(engineSnapshot('sim'), undefined))).toContain('Reading the VRAM…');
    expect(text(row(engineSnapshot('sim'), { error: 'http://127.0.0.1:8765/v1/memory answered HTTP 500', code: 'engine' }))).toContain('VRAM not reported: http://127.0.0.1:8765/v1/memory answered HTTP 500');
    expect(text(row(engineSnapshot('gen'), { error: 'this engine speaks no protocol adstudio knows', code: 'unsupported' }, 'ko'))).toContain('이 엔진은 VRAM을 알려 주지 않습니다');
    const stopped = row(engineSnapshot('nanococoa', { state: 'stopped', gpu: true, health: null }), undefined);
    expect(text(stopped)).toContain('VRAM: shown while the engine runs');
    expect(stopped).not.toContain('role="meter"');
    // A stopped CPU engine shows no VRAM line at all.
    expect(row(engineSnapshot('adstudio-engine', { state: 'stopped', health: null }), undefined)).not.toContain('engine-vram-');
  });

  it('custom rows offer Edit and Delete; built-in rows do not', () => {
    const mine = row(engineSnapshot('demo'), undefined, 'ko', true);
    expect(mine).toContain('data-testid="engine-edit-demo"');
    expect(mine).toContain('data-testid="engine-delete-demo"');
    expect(text(mine)).toContain('사용자 엔진');
    const builtin = row(engineSnapshot('nanococoa'), undefined);
    expect(builtin).not.toContain('engine-edit-');
    expect(builtin).not.toContain('engine-delete-');
  });
});
