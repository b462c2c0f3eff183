import { useT } from '../../i18n/i18n-context';
import type { EngineSnapshot } from './use-engines';

/**
 * The question before deleting a profile, resetting its server or removing its container (which
 * says what stays: the image and the model volume). Focus lands on the safe choice (keep it as it
 * is); acting takes a deliberate second press.
 */
export function EngineAskFirst({ action, engine: e, onKeep, onYes }: { action: 'delete' | 'reset' | 'remove'; engine: EngineSnapshot; onKeep(): void; onYes(): void }) {
  const t = useT();
  const question = t(`engines.${action}Confirm`, { name: e.title, container: e.containerName ?? e.containerId?.slice(0, 12) ?? '', image: e.image });
  return (
    <div className="engine-confirm" role="group" aria-label={question} data-testid={`engine-${action}-confirm-${e.profile}`}>
      <span>{question}</span>
      <button type="button" className="btn small" autoFocus onClick={onKeep} data-testid={`engine-${action}-no-${e.profile}`}>
        {t(`engines.${action}No`)}
      </button>
      <button type="button" className="btn small danger" onClick={onYes} data-testid={`engine-${action}-yes-${e.profile}`}>
        {t(`engines.${action}Yes`)}
      </button>
    </div>
  );
}
