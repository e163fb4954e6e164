import { useTranslation } from "react-i18next";
import type { ApiError, FieldError } from "../../api/generated";
import { fieldErrorMessage, unshownFieldErrors } from "../errors";
import { fieldLabel } from "../labels";

type Props = {
  error: ApiError | null;
  shown: readonly string[];
  /**
   * Names for fields this build has no label for, by field name: a custom field's label under
   * `custom.<key>` (a retired field, say, whose error no editor shows).
   */
  labels?: Readonly<Record<string, string>>;
  /** A message better than the code's generic one, for a field the form knows more about (undefined: the generic one). */
  describe?: (name: string, error: FieldError) => string | undefined;
};

/** For a form's error banner: the field problems that no field of the form shows beside itself. */
export function UnshownFieldErrors({ error, shown, labels, describe }: Props) {
  const { t } = useTranslation();
  const others = unshownFieldErrors(error, shown);
  if (others.length === 0) return null;
  const label = (name: string) => labels?.[name] ?? labels?.[name.replace(/^changes\./, "")] ?? fieldLabel(t, name);
  return (
    <ul>
      {others.map(([name, fe]) => (
        <li key={name}>
          {label(name)}: {describe?.(name, fe) ?? fieldErrorMessage(t, fe)}
        </li>
      ))}
    </ul>
  );
}
