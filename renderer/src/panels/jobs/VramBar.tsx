import { useT } from '../../i18n/i18n-context';
import { engineLabel, gbText, vramLayout } from './jobs-format';
import type { MemoryView } from './jobs-model';

/**
 * The card as the scheduler sees it: one segment per resident model, the rest of the used memory,
 * the budget mark, and the whole card. A simulated card says so in large letters; no GPU at all
 * says "CPU only" instead of drawing a bar with made-up numbers.
 */
export function VramBar({ memory }: { memory: MemoryView | null }) {
  const t = useT();
  if (!memory) return null;
  const layout = vramLayout(memory);
  const engine = engineLabel(t, memory.engine);
  // Without a GPU every resident model is in RAM.
  const inRam = layout ? layout.ram : memory.resident;
  return (
    <section className="vram" aria-labelledby="vram-title" data-testid="vram">
      <header className="vram-head">
        <h3 id="vram-title">{t('jobs.vram.title')}</h3>
        {memory.simulated ? (
          <span className="vram-simulated" title={t('jobs.vram.simulatedHint')} data-testid="vram-simulated">
            {t('jobs.vram.simulated')}
          </span>
        ) : null}
        <span className="vram-engine">{t('jobs.vram.engine', { engine })}</span>
      </header>
      {memory.simulated ? <p className="jobs-dim">{t('jobs.vram.simulatedHint')}</p> : null}

      {!layout ? (
        <p className="vram-cpu" data-testid="vram-cpu-only">
          {t('jobs.vram.cpuOnly', { engine })}
        </p>
      ) : (
        <>
          <div
            className="vram-bar"
            role="meter"
            aria-label={t('jobs.vram.meter')}
            aria-valuemin={0}
            aria-valuemax={layout.totalMb}
            aria-valuenow={layout.usedMb}
            aria-valuetext={t('jobs.vram.usage', { used: gbText(layout.usedMb), budget: gbText(layout.budgetMb), total: gbText(layout.totalMb) })}
            data-testid="vram-bar"
          >
            {layout.segments.map((s) => (
              <span
                key={s.id}
                className={`vram-seg vram-c${s.colour}`}
                style={{ left: `${s.startPct}%`, width: `${s.widthPct}%` }}
                title={`${s.label} · ${gbText(s.mb)}`}
                data-testid={`vram-seg-${s.id}`}
              />
            ))}
            {layout.otherMb > 0 ? (
              <span className="vram-seg other" style={{ left: `${layout.otherStartPct}%`, width: `${layout.otherPct}%` }} title={`${t('jobs.vram.other')} · ${gbText(layout.otherMb)}`} />
            ) : null}
            <span className="vram-budget" style={{ left: `${layout.budgetPct}%` }} title={`${t('jobs.vram.budget')} · ${gbText(layout.budgetMb)}`} />
          </div>
          <p className="vram-usage" data-testid="vram-usage">
            {t('jobs.vram.usage', { used: gbText(layout.usedMb), budget: gbText(layout.budgetMb), total: gbText(layout.totalMb) })}
          </p>
          {layout.segments.length === 0 && layout.otherMb === 0 ? <p className="jobs-dim">{t('jobs.vram.none')}</p> : null}
          <ul className="vram-legend" aria-label={t('jobs.vram.meter')}>
            {layout.segments.map((s) => (
              <li key={s.id} data-testid={`vram-model-${s.id}`}>
                <span className={`vram-swatch vram-c${s.colour}`} aria-hidden />
                {s.label} <span className="jobs-dim">{gbText(s.mb)}</span>
              </li>
            ))}
            {layout.otherMb > 0 ? (
              <li>
                <span className="vram-swatch other" aria-hidden />
                {t('jobs.vram.other')} <span className="jobs-dim">{gbText(layout.otherMb)}</span>
              </li>
            ) : null}
          </ul>
        </>
      )}
      {inRam.length > 0 ? <p className="jobs-dim">{t('jobs.vram.ram', { models: inRam.map((m) => `${m.label} (${gbText(m.footprintMb)})`).join(', ') })}</p> : null}
    </section>
  );
}
