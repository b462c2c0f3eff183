import { useT } from '../../i18n/i18n-context';
import { engineLabel, gbText, vramLayout } from './jobs-format';
import type { MemoryView } from './jobs-model';

interface VramBarProps {
  memory: MemoryView | null;
  /** The heading's id: unique per bar when several are on screen (the Engines panel, one per engine). */
  headingId?: string;
  testId?: string;
  /** False for engines without a budget of their own (nanoCocoa): no budget mark, "used of card". */
  budget?: boolean;
}

/**
 * The card as the scheduler sees it: one segment per resident model, the rest of the used memory,
 * the budget mark, and the whole card. A simulated card says so in large letters; no GPU at all
 * says "CPU only" instead of drawing a bar with made-up numbers. Used by the Jobs panel (the
 * scheduler's card) and the Engines panel (each running engine's card).
 */
export function VramBar({ memory, headingId = 'vram-title', testId = 'vram', budget = true }: VramBarProps) {
  const t = useT();
  if (!memory) return null;
  const layout = vramLayout(memory);
  const usage = layout
    ? budget
      ? t('jobs.vram.usage', { used: gbText(layout.usedMb), budget: gbText(layout.budgetMb), total: gbText(layout.totalMb) })
      : t('jobs.vram.usageNoBudget', { used: gbText(layout.usedMb), total: gbText(layout.totalMb) })
    : '';
  const engine = engineLabel(t, memory.engine);
  // Without a GPU every resident model is in RAM.
  const inRam = layout ? layout.ram : memory.resident;
  return (
    <section className="vram" aria-labelledby={headingId} data-testid={testId}>
      <header className="vram-head">
        <h3 id={headingId}>{t('jobs.vram.title')}</h3>
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
            aria-valuetext={usage}
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
            {budget ? <span className="vram-budget" style={{ left: `${layout.budgetPct}%` }} title={`${t('jobs.vram.budget')} · ${gbText(layout.budgetMb)}`} /> : null}
          </div>
          <p className="vram-usage" data-testid="vram-usage">
            {usage}
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
