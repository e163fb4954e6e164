import { useId, type ReactElement, type ReactNode } from "react";

export type ControlProps = {
  id: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
};

type Props = {
  label: string;
  /** The field's error, shown next to it and announced with the control. */
  error?: string;
  hint?: string;
  errorTestId?: string;
  required?: boolean;
  requiredLabel?: string;
  className?: string;
  children: (control: ControlProps) => ReactElement;
};

/** A labelled form control with its hint and error wired through aria attributes. */
export function Field({ label, error, hint, errorTestId, required, requiredLabel, className, children }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = error ? errorId : hint ? hintId : undefined;
  let marker: ReactNode = null;
  if (required) marker = <span className="field-required" title={requiredLabel} aria-hidden="true">*</span>;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id} className="field-label">
        {label}
        {marker}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error" data-testid={errorTestId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
