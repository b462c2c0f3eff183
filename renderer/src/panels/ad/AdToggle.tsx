interface AdToggleProps {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  testId?: string;
}

/** A section switch ("Drop shadow: on"); each click is one undo step. */
export function AdToggle({ label, checked, onChange, testId }: AdToggleProps) {
  return (
    <label className="ad-toggle">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>{label}</span>
    </label>
  );
}
