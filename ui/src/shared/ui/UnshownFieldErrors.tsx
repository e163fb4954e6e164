import { useTranslation } from "react-i18next";
import type { ApiError } from "../../api/generated";
import { fieldErrorMessage, unshownFieldErrors } from "../errors";
import { fieldLabel } from "../labels";

/** For a form's error banner: the field problems that no field of the form shows beside itself. */
export function UnshownFieldErrors({ error, shown }: { error: ApiError | null; shown: readonly string[] }) {
  const { t } = useTranslation();
  const others = unshownFieldErrors(error, shown);
  if (others.length === 0) return null;
  return (
    <ul>
      {others.map(([name, fe]) => (
        <li key={name}>
          {fieldLabel(t, name)}: {fieldErrorMessage(t, fe)}
        </li>
      ))}
    </ul>
  );
}
