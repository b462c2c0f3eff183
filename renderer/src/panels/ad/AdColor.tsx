import { useEffect, useRef } from 'react';
import type { EditGesture } from '../../editor/ad/ad-flow-edit';

interface AdColorProps {
  label: string;
  /** #rrggbb (an #rrggbbaa value shows its colour part). */
  value: string;
  gesture: EditGesture;
  onChange: (hex: string) => void;
  testId?: string;
}

/**
 * A colour well: the picker reports every colour the user passes over (React's onChange is the
 * native "input"); they form one undo step that ends with the native "change" (picker closed).
 */
export function AdColor({ label, value, gesture, onChange, testId }: AdColorProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const end = () => gesture.end();
    el.addEventListener('change', end);
    return () => el.removeEventListener('change', end);
  }, [gesture]);
  return (
    <label className="ad-color">
      <span>{label}</span>
      <input
        ref={ref}
        type="color"
        className="color-input"
        value={value.slice(0, 7)}
        aria-label={label}
        onChange={(e) => {
          gesture.begin();
          onChange(e.target.value + value.slice(7));
        }}
        onBlur={() => gesture.end()}
        data-testid={testId}
      />
    </label>
  );
}
