import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { ApiError, Colleagues } from "../../../api/generated";
import { fieldErrorFor, fieldErrorMessage } from "../../../shared/errors";
import { shortId } from "../../../shared/labels";
import { Field } from "../../../shared/ui/Field";
import { useColleagues } from "../../../shared/useColleagues";
import { resolvableKind } from "../records";
import { parseEntered, shapeOf, textOf, type FieldConflict, type Shape } from "../values";

type Option = { value: unknown; label: string };

type Props = {
  conflict: FieldConflict;
  busy: boolean;
  /** The core's answer to the last value sent; a problem with the value shows under the input. */
  error: ApiError | null;
  onSubmit: (value: unknown) => void;
  onCancel: () => void;
};

/** A value of the person's own for the field: a select where the field takes a few values, else typed in. */
export function OwnValueForm(props: Props) {
  const values = [props.conflict.kept.value, ...props.conflict.others.map((o) => o.value)];
  const shape = shapeOf(values);
  const options = useOptions(props.conflict, shape, values);
  // The directory may arrive while the form is open and turn the input into a select: start that afresh.
  return <ValueForm key={options ? "choose" : "type"} {...props} shape={shape} options={options} />;
}

function ValueForm({ conflict, busy, error, onSubmit, onCancel, shape, options }: Props & { shape: Shape; options: Option[] | null }) {
  const { t } = useTranslation();
  // A select's options carry their values as JSON, so a code, a number or null comes back as it went.
  const [text, setText] = useState(() => (options ? JSON.stringify(conflict.kept.value ?? null) : textOf(conflict.kept.value, shape)));
  const [problem, setProblem] = useState<"number" | "json" | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const entered = options ? { ok: true as const, value: JSON.parse(text) as unknown } : parseEntered(text, shape);
    if (!entered.ok) {
      setProblem(entered.problem);
      return;
    }
    setProblem(null);
    onSubmit(entered.value);
  }

  const valueError = fieldErrorFor(error, "value");
  const shownError = problem ? t(problem === "number" ? "conflicts.notANumber" : "conflicts.notJson") : valueError ? fieldErrorMessage(t, valueError) : undefined;

  return (
    <form className="conflict-own-form" noValidate autoComplete="off" data-testid="conflict-value-form" onSubmit={submit}>
      <Field label={t("conflicts.yourValue")} error={shownError} errorTestId="conflict-value-error">
        {(control) =>
          options ? (
            <select {...control} className="input" data-testid="conflict-value-input" autoFocus value={text} onChange={(e) => setText(e.target.value)}>
              {options.map((o) => (
                <option key={JSON.stringify(o.value)} value={JSON.stringify(o.value)}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              {...control}
              className="input"
              data-testid="conflict-value-input"
              autoFocus
              dir="auto"
              inputMode={shape.type === "number" ? "decimal" : undefined}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setProblem(null);
              }}
            />
          )
        }
      </Field>
      <div className="conflict-own-actions">
        <button type="submit" className="button button-primary" data-testid="conflict-value-save" disabled={busy}>
          {busy ? t("conflicts.saving") : t("conflicts.save")}
        </button>
        <button type="button" className="button" data-testid="conflict-value-cancel" disabled={busy} onClick={onCancel}>
          {t("conflicts.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The values a select offers for the field, or null where the person types one. */
function useOptions(conflict: FieldConflict, shape: Shape, values: unknown[]): Option[] | null {
  const { t } = useTranslation();
  const { data: directory } = useColleagues();
  const enumeration = resolvableKind(conflict.table)?.enumerations[conflict.field];
  let options: Option[] | null = null;
  if (enumeration) options = enumeration.codes.map((code) => ({ value: code, label: enumeration.label(t, code) }));
  else if (directory && (conflict.field === "owner_id" || conflict.field === "department_id"))
    options = ownershipOptions(t, directory, conflict.field);
  else if (shape.type === "boolean")
    options = [
      { value: true, label: t("history.yes") },
      { value: false, label: t("history.no") },
      ...(shape.nullable ? [{ value: null, label: t("history.empty") }] : []),
    ];
  if (!options) return null;
  // A value in conflict stays on offer even where the select would not list it (a user who left).
  const offered = new Set(options.map((o) => JSON.stringify(o.value)));
  for (const value of values) {
    const json = JSON.stringify(value ?? null);
    if (offered.has(json)) continue;
    offered.add(json);
    options.push({ value: value ?? null, label: typeof value === "string" ? shortId(value) : json });
  }
  return options;
}

function ownershipOptions(t: TFunction, directory: Colleagues, field: "owner_id" | "department_id"): Option[] {
  if (field === "owner_id")
    return [
      { value: null, label: t("app.none") },
      ...directory.users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.display_name })),
    ];
  return [{ value: null, label: t("ownership.shared") }, ...directory.departments.map((d) => ({ value: d.id, label: d.name }))];
}
