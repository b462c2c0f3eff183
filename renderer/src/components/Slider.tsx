import { useId } from 'react';

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (value: number) => void;
  /** Text next to the label ("40 px", "80%"). */
  display?: string;
  testId?: string;
  /** Also offer a number box for exact values. */
  numberBox?: boolean;
}

/** Labelled range slider with its value, optionally with a number field. */
export function Slider({ label, value, min, max, step = 1, onChange, display, testId, numberBox }: SliderProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        <span>{label}</span>
        {!numberBox ? <span className="field-value">{display ?? value}</span> : null}
      </label>
      <div className="slider-row">
        <input id={id} type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId} />
        {numberBox ? (
          <input
            className="num-input"
            type="number"
            min={min}
            max={max}
            step={step}
            value={value}
            aria-label={label}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v) && e.target.value !== '') onChange(Math.min(max, Math.max(min, v)));
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
