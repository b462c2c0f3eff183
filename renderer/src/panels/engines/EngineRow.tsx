import { useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/i18n-context';
import { VramBar } from '../jobs/VramBar';
import '../jobs/jobs.css';
import { EngineAskFirst } from './EngineAskFirst';
import { offersRemove, offersStop } from './engine-remove';
import { offersReset } from './engine-reset';
import { engineMemoryView, hasBudget, type EngineMemoryState } from './engine-vram';
import { formatBytes } from './format';
import type { EngineAction, EngineLogLine, EngineSnapshot } from './use-engines';

interface Props {
  engine: EngineSnapshot;
  tail: EngineLogLine[];
  busy: EngineAction | undefined;
  onAct(action: EngineAction): void;
  onLogs(): void;
  onUseEmbedded(): void;
  /** The running engine's VRAM reading (polled while the panel is open); undefined = not read yet. */
  memory?: EngineMemoryState | undefined;
  /** Custom profiles (engines.json) can be edited and deleted; built-in ones cannot. */
  custom?: { onEdit(): void; onDelete(): void };
}

const RUNNING = new Set(['starting', 'healthy', 'created']);
const MOVING = new Set(['building', 'pulling', 'starting', 'stopping']);

/** One profile: state badge, facts, progress, the error with what to do, last log lines, actions (reset, remove and delete ask first). */
export function EngineRow({ engine: e, tail, busy, onAct, onLogs, onUseEmbedded, memory, custom }: Props) {
  const t = useT();
  const p = e.profile;
  const [confirm, setConfirm] = useState<'delete' | 'reset' | 'remove' | null>(null);
  const confirmDelete = confirm === 'delete';
  const tailRef = useRef<HTMLPreElement>(null);
  // The box is short: keep its newest line (e.g. adstudio's note of what it just did) in sight.
  useLayoutEffect(() => {
    if (tailRef.current) tailRef.current.scrollTop = tailRef.current.scrollHeight;
  }, [tail]);
  const working = busy !== undefined || MOVING.has(e.state);
  const running = RUNNING.has(e.state);
  return (
    <section className="engine-row" data-testid={`engine-row-${p}`}>
      <header className="engine-row-head">
        <strong>{e.title}</strong>
        <span className="engine-kind">{e.gpu ? t('engines.gpu') : t('engines.cpu')}</span>
        {custom ? <span className="engine-kind">{t('engines.custom')}</span> : null}
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
        {e.state !== 'healthy' && e.gpu ? (
          <>
            <dt>{t('engines.vram')}</dt>
            {/* Only a running engine knows its card: no bar with made-up numbers before that. */}
            <dd className="engine-dim" data-testid={`engine-vram-${p}`}>
              {t('engines.vramWhenRunning')}
            </dd>
          </>
        ) : null}
      </dl>

      {e.state === 'healthy' ? <EngineVram profile={p} memory={memory} /> : null}

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
        <pre className="engine-tail" ref={tailRef} data-testid={`engine-tail-${p}`}>
          {tail.map((l) => l.text).join('\n')}
        </pre>
      ) : null}

      <div className="engine-actions">
        <button type="button" className="btn small primary" disabled={working || running} onClick={() => onAct('start')} data-testid={`engine-start-${p}`}>
          {busy === 'start' ? `${t('engines.start')}…` : t('engines.start')}
        </button>
        <button type="button" className="btn small" disabled={working || !offersStop(e)} onClick={() => onAct('stop')} data-testid={`engine-stop-${p}`}>
          {t('engines.stop')}
        </button>
        <button type="button" className="btn small" disabled={working || !running} onClick={() => onAct('restart')} data-testid={`engine-restart-${p}`}>
          {t('engines.restart')}
        </button>
        {offersReset(e) ? (
          <button type="button" className="btn small" disabled={working || confirm === 'reset'} onClick={() => setConfirm('reset')} data-testid={`engine-reset-${p}`}>
            {busy === 'reset' ? `${t('engines.reset')}…` : t('engines.reset')}
          </button>
        ) : null}
        {offersRemove(e) ? (
          <button type="button" className="btn small" disabled={working || confirm === 'remove'} onClick={() => setConfirm('remove')} data-testid={`engine-remove-${p}`}>
            {busy === 'remove' ? `${t('engines.remove')}…` : t('engines.remove')}
          </button>
        ) : null}
        <button type="button" className="btn small ghost" onClick={onLogs} data-testid={`engine-logs-${p}`}>
          {t('engines.logs')}
        </button>
        {custom ? (
          <>
            <button type="button" className="btn small ghost" onClick={custom.onEdit} data-testid={`engine-edit-${p}`}>
              {t('engines.edit')}
            </button>
            <button type="button" className="btn small ghost" onClick={() => setConfirm('delete')} disabled={confirmDelete} data-testid={`engine-delete-${p}`}>
              {t('engines.delete')}
            </button>
          </>
        ) : null}
      </div>
      {custom && confirmDelete ? (
        <EngineAskFirst
          action="delete"
          engine={e}
          onKeep={() => setConfirm(null)}
          onYes={() => {
            setConfirm(null);
            custom.onDelete();
          }}
        />
      ) : null}
      {confirm === 'reset' && offersReset(e) ? (
        <EngineAskFirst
          action="reset"
          engine={e}
          onKeep={() => setConfirm(null)}
          onYes={() => {
            setConfirm(null);
            onAct('reset');
          }}
        />
      ) : null}
      {confirm === 'remove' && offersRemove(e) ? (
        <EngineAskFirst
          action="remove"
          engine={e}
          onKeep={() => setConfirm(null)}
          onYes={() => {
            setConfirm(null);
            onAct('remove');
          }}
        />
      ) : null}
    </section>
  );
}

/** The running engine's card, drawn by the Jobs panel's VRAM bar; CPU-only engines say so. */
export function EngineVram({ profile, memory }: { profile: string; memory: EngineMemoryState | undefined }) {
  const t = useT();
  if (!memory) {
    return (
      <p className="engine-dim" data-testid={`engine-vram-${profile}`}>
        {t('engines.vramReading')}
      </p>
    );
  }
  if ('error' in memory) {
    return (
      <p className="engine-dim" data-testid={`engine-vram-${profile}`}>
        {memory.code === 'unsupported' ? t('engines.vramNoProtocol') : t('engines.vramUnavailable', { message: memory.error })}
      </p>
    );
  }
  return <VramBar memory={engineMemoryView(memory.memory)} headingId={`engine-vram-title-${profile}`} testId={`engine-vram-${profile}`} budget={hasBudget(memory.memory)} />;
}
