import type { ReactNode } from 'react';

export type TipPlacement = 'bottom' | 'bottom-end' | 'right' | 'top';

interface TooltipProps {
  label: string;
  shortcut?: string | undefined;
  hint?: string | undefined;
  /** Why the control is disabled, shown in the warning colour. */
  warning?: string | undefined;
  placement?: TipPlacement;
  children: ReactNode;
}

/** Hover/focus tooltip with an optional shortcut and a one-line hint (CSS-driven, no timers). */
export function Tooltip({ label, shortcut, hint, warning, placement = 'bottom', children }: TooltipProps) {
  return (
    <span className="tip">
      {children}
      <span className={`tip-bubble ${placement}`} role="tooltip">
        <span className="tip-head">
          <span>{label}</span>
          {shortcut ? <kbd>{shortcut}</kbd> : null}
        </span>
        {hint ? <span className="tip-hint">{hint}</span> : null}
        {warning ? <span className="tip-warn">{warning}</span> : null}
      </span>
    </span>
  );
}
