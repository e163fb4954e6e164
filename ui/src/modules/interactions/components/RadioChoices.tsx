import { useId, type ReactNode } from "react";

type Props<T extends string> = {
  legend: string;
  values: readonly T[];
  value: T;
  onChange: (value: T) => void;
  label: (value: T) => string;
  icon?: (value: T) => ReactNode;
  /** The group's; each choice's is `<testId>-<value>`. */
  testId: string;
  hint?: string;
  error?: string;
  errorTestId?: string;
};

/**
 * One of a few values as native radio buttons, drawn as a row of chips: one Tab stop, and the
 * arrow keys move the choice (mirrored in a right-to-left window by the browser itself).
 */
export function RadioChoices<T extends string>({ legend, values, value, onChange, label, icon, testId, hint, error, errorTestId }: Props<T>) {
  const name = useId();
  const describedBy = `${name}-note`;
  return (
    <fieldset className="field radio-field" data-testid={testId} aria-describedby={hint || error ? describedBy : undefined} aria-invalid={error ? true : undefined}>
      <legend className="field-label">{legend}</legend>
      <div className="radio-chips">
        {values.map((v) => (
          <label key={v} className="radio-chip">
            <input type="radio" name={name} value={v} checked={value === v} data-testid={`${testId}-${v}`} onChange={() => onChange(v)} />
            {icon?.(v)}
            <span>{label(v)}</span>
          </label>
        ))}
      </div>
      {error ? (
        <span id={describedBy} className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </span>
      ) : (
        hint && (
          <span id={describedBy} className="field-hint">
            {hint}
          </span>
        )
      )}
    </fieldset>
  );
}
