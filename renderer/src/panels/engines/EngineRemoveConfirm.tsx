import { useT } from '../../i18n/i18n-context';
import type { EngineSnapshot } from './use-engines';

/**
 * Asks before deleting the container, saying what stays (the image, the model volume) and that a
 * running engine is stopped first. Focus lands on "keep it"; removing takes a deliberate second press.
 */
export function EngineRemoveConfirm({ engine: e, onKeep, onRemove }: { engine: EngineSnapshot; onKeep(): void; onRemove(): void }) {
  const t = useT();
  const p = e.profile;
  const question = t('engines.removeConfirm', { name: e.title, container: e.containerName ?? e.containerId?.slice(0, 12) ?? '', image: e.image });
  return (
    <div className="engine-confirm" role="group" aria-label={question} data-testid={`engine-remove-confirm-${p}`}>
      <span>{question}</span>
      <button type="button" className="btn small" autoFocus onClick={onKeep} data-testid={`engine-remove-no-${p}`}>
        {t('engines.removeNo')}
      </button>
      <button type="button" className="btn small danger" onClick={onRemove} data-testid={`engine-remove-yes-${p}`}>
        {t('engines.removeYes')}
      </button>
    </div>
  );
}
