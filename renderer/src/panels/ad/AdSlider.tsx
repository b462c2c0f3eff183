import { useId } from 'react';
import type { EditGesture } from '../../editor/ad/ad-flow-edit';

interface AdSliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Text next to the label ("40 px", "80%"). */
  display?: string;
  disabled?: boolean;
  /** The drag's undo step: marked on pointer-down, squashed on release. */
  gesture: EditGesture;
  onChange: (value: number) => void;
  testId?: string;
}

/**
 * A slider whose drag is ONE undo step (the shared Slider has no pointer hooks): pointer-down marks,
 * each move is a transaction inside the mark, release squashes. Arrow keys make a step each.
 */
export function AdSlider({ label, value, min, max, step = 1, display, disabled, gesture, onChange, testId }: AdSliderProps) {
  const id = useId();
  return (
    <div className="field ad-field">
      <label className="field-label" htmlFor={id}>
        <span>{label}</span>
        <span className="field-value">{display ?? value}</span>
      </label>
      <div className="slider-row">
        <input
          id={id}
          type="range"
          min={min}
          max={max}
          step={step}
          value={value}
          disabled={disabled}
          onPointerDown={() => gesture.begin()}
          onPointerUp={() => gesture.end()}
          onLostPointerCapture={() => gesture.end()}
          onBlur={() => gesture.end()}
          onChange={(e) => onChange(Number(e.target.value))}
          data-testid={testId}
        />
      </div>
    </div>
  );
}
