import type { LucideIcon } from 'lucide-react';
import { Tooltip, type TipPlacement } from './Tooltip';

interface IconButtonProps {
  icon: LucideIcon;
  label: string;
  onClick: () => void;
  shortcut?: string | undefined;
  hint?: string | undefined;
  disabled?: boolean;
  disabledReason?: string | undefined;
  active?: boolean;
  placement?: TipPlacement;
  testId?: string;
  size?: number;
}

/** A square icon button; its name comes from the tooltip label (screen readers too). */
export function IconButton(p: IconButtonProps) {
  const Icon = p.icon;
  return (
    <Tooltip label={p.label} shortcut={p.shortcut} hint={p.hint} warning={p.disabled ? p.disabledReason : undefined} placement={p.placement}>
      <button
        type="button"
        className={`icon-btn${p.active ? ' active' : ''}`}
        aria-label={p.label}
        aria-pressed={p.active === undefined ? undefined : p.active}
        disabled={p.disabled}
        onClick={p.onClick}
        data-testid={p.testId}
      >
        <Icon size={p.size ?? 18} strokeWidth={1.8} />
      </button>
    </Tooltip>
  );
}
