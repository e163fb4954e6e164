import type { ReactNode } from "react";

/** One action in a table row: a text button whose accessible name says which row it acts on. */
export function RowAction({
  testId,
  label,
  onClick,
  children,
}: {
  testId: string;
  /** The full name for assistive technology ("Archive Anna Petrova"). */
  label: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className="link-button" data-testid={testId} aria-label={label} onClick={onClick}>
      {children}
    </button>
  );
}
