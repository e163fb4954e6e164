import type { ReactNode } from "react";

/** One action in a table row: a text button whose accessible name says which row it acts on. */
export function RowAction({
  testId,
  label,
  onClick,
  expanded,
  children,
}: {
  testId: string;
  /** The full name for assistive technology ("Archive Anna Petrova"). */
  label: string;
  onClick: () => void;
  /** For an action that shows and hides something under the row: whether it is shown. */
  expanded?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="link-button" data-testid={testId} aria-label={label} aria-expanded={expanded} onClick={onClick}>
      {children}
    </button>
  );
}
