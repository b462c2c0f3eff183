import { useT } from '../../i18n/i18n-context';
import { formatBytes } from './format';
import type { EngineAction, EngineLogLine, EngineSnapshot } from './use-engines';

interface Props {
  engine: EngineSnapshot;
  tail: EngineLogLine[];
  busy: EngineAction | undefined;
  onAct(action: EngineAction): void;
  onLogs(): void;
  onUseEmbedded(): void;
}

const RUNNING = new Set(['starting', 'healthy', 'created']);
const MOVING = new Set(['building', 'pulling', 'starting', 'stopping']);

/** One profile: state badge, facts, progress, the error with what to do, last log lines, actions. */
export function EngineRow({ engine: e, tail, busy, onAct, onLogs, onUseEmbedded }: Props) {
  const t = useT();
  const p = e.profile;
  const working = busy !== undefined || MOVING.has(e.state);
  const running = RUNNING.has(e.state);
  return (
    <section className="engine-row" data-testid={`engine-row-${p}`}>
      <header className="engine-row-head">
        <strong>{e.title}</strong>
        <span className="engine-kind">{e.gpu ? t('engines.gpu') : t('engines.cpu')}</span>
        <span className={`engine-badge state-${e.state}`} data-testid={`engine-state-${p}`} data-state={e.state}>
          {t(`engines.state.${e.state}`)}
        </span>
      </header>

      <dl className="engine-facts">
        <dt>{t('engines.address')}</dt>
        <dd className="mono">{e.url}</dd>
        <dt>{t('engines.health')}</dt>
        <dd>{e.health ? `${e.health.ok ? '✓' : '✗'} ${e.health.detail}` : t('engines.healthNone')}</dd>
        <dt>{t('engines.image')}</dt>
        <dd className="mono">
          {e.image} · {e.imageSize !== null ? formatBytes(e.imageSize) : t('engines.imageMissing')}
        </dd>
        <dt>{t('engines.disk')}</dt>
        <dd>{e.diskFree ? formatBytes(e.diskFree.freeBytes) : t('engines.unknown')}</dd>
        {e.gpu ? (
          <>
            <dt>{t('engines.vram')}</dt>
            {/* No engine reports VRAM yet: say so instead of drawing a bar with made-up numbers. */}
            <dd className="engine-dim" data-testid={`engine-vram-${p}`}>
              {t('engines.vramNone')}
            </dd>
          </>
        ) : null}
      </dl>

      {e.diskFree?.low ? (
        <p className="engine-warn">{t('engines.diskLow', { free: formatBytes(e.diskFree.freeBytes), min: formatBytes(e.diskFree.minBytes) })}</p>
      ) : null}
      {e.adopted ? <p className="engine-dim">{t('engines.adopted')}</p> : null}
      {e.warnings.map((w) => (
        <p className="engine-warn" key={w}>
          {w}
        </p>
      ))}

      {e.progress ? (
        <div className="engine-progress" data-testid={`engine-progress-${p}`}>
          <progress max={1} {...(e.progress.fraction !== null ? { value: e.progress.fraction } : {})} />
          <span>{e.progress.message}</span>
        </div>
      ) : null}

      {e.error ? (
        <div className="engine-error" role="alert" data-testid={`engine-error-${p}`}>
          <p>{e.error.message}</p>
          <p>
            <strong>{t('engines.action', { action: e.error.action })}</strong>
          </p>
          {e.error.offerEmbedded ? (
            <button type="button" className="btn small" onClick={onUseEmbedded} data-testid={`engine-use-embedded-${p}`}>
              {t('engines.useEmbedded')}
            </button>
          ) : null}
        </div>
      ) : null}

      {tail.length > 0 ? (
        <pre className="engine-tail" data-testid={`engine-tail-${p}`}>
          {tail.map((l) => l.text).join('\n')}
        </pre>
      ) : null}

      <div className="engine-actions">
        <button type="button" className="btn small primary" disabled={working || running} onClick={() => onAct('start')} data-testid={`engine-start-${p}`}>
          {busy === 'start' ? `${t('engines.start')}…` : t('engines.start')}
        </button>
        <button type="button" className="btn small" disabled={working || !running} onClick={() => onAct('stop')} data-testid={`engine-stop-${p}`}>
          {t('engines.stop')}
        </button>
        <button type="button" className="btn small" disabled={working || !running} onClick={() => onAct('restart')} data-testid={`engine-restart-${p}`}>
          {t('engines.restart')}
        </button>
        <button type="button" className="btn small ghost" onClick={onLogs} data-testid={`engine-logs-${p}`}>
          {t('engines.logs')}
        </button>
      </div>
    </section>
  );
}
