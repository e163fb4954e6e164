import type { TFunction } from "i18next";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, CustomField, CustomFieldTarget, CustomValues, FieldError } from "../../api/generated";
import { fieldErrorFor, fieldErrorMessage } from "../errors";
import { shortId } from "../labels";
import { RecordPicker, type PickedRecord } from "../search/RecordPicker";
import { useRecordTitles } from "../search/useRecordTitles";
import { Field, type ControlProps } from "../ui/Field";
import { recordKindLabel } from "./labels";
import { customFieldName, customKeyOf, draftValue, type CustomDraft, type DraftValue } from "./values";

type Props = {
  /** The fields to edit, in their order (the kind's active ones). */
  fields: readonly CustomField[];
  /** The kinds a link may point to, with the search entity that finds them. */
  linkTargets: readonly CustomFieldTarget[];
  /** The record's values as stored: what an untouched editor shows, and the retired choices it keeps. */
  stored?: CustomValues;
  /** The values edited so far, by key. */
  draft: CustomDraft;
  onChange: (key: string, value: DraftValue) => void;
  /** The last save's error: a field's problem (`custom.<key>`) shows beside its editor. */
  error: ApiError | null;
};

const NO_VALUES: CustomValues = {};

/** A problem with a custom value in words: `archived` on a value that names no record means the field was retired meanwhile. */
export function customFieldErrorMessage(t: TFunction, field: CustomField, error: FieldError): string {
  if (error.code === "archived" && field.kind !== "link") return t("customFields.retiredMeanwhile");
  // What to type instead, by the field's kind: the generic words would not say.
  if (error.code === "invalid_value" || error.code === "wrong_type") {
    switch (field.kind) {
      case "number":
      case "decimal":
      case "date":
      case "choice":
      case "multi_choice":
        return t(`customFields.invalid.${field.kind}`);
    }
  }
  return fieldErrorMessage(t, error);
}

/** For `UnshownFieldErrors`: the words for a problem with any of `fields` (`custom.<key>`, also under `changes.`). */
export function describeCustomFieldError(t: TFunction, fields: readonly CustomField[]) {
  return (name: string, error: FieldError): string | undefined => {
    const key = customKeyOf(name.replace(/^changes\./, ""));
    const field = key === null ? undefined : fields.find((f) => f.key === key);
    return field ? customFieldErrorMessage(t, field, error) : undefined;
  };
}

/**
 * An editor per custom field, each in a labelled `Field` with its error, for a form's grid: text,
 * a whole or decimal number (Persian digits allowed), a date, a select of choices, checkboxes for
 * several choices, yes / no / not set, and a record found by search for a link.
 */
export function CustomFieldInputs({ fields, linkTargets, stored = NO_VALUES, draft, onChange, error }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((field) => {
        const value = draft[field.key] ?? draftValue(field, stored[field.key]);
        const fe = fieldErrorFor(error, customFieldName(field.key));
        const message = fe ? customFieldErrorMessage(t, field, fe) : undefined;
        const set = (next: DraftValue) => onChange(field.key, next);
        if (field.kind === "multi_choice")
          return (
            <ChoiceBoxes
              key={field.id}
              field={field}
              checked={Array.isArray(value) ? value : []}
              held={draftValue(field, stored[field.key])}
              error={message}
              onChange={set}
            />
          );
        return (
          <Field
            key={field.id}
            label={field.label}
            error={message}
            errorTestId={`custom-error-${field.key}`}
          >
            {(control) => (
              <SingleInput
                t={t}
                control={control}
                field={field}
                value={typeof value === "string" ? value : ""}
                held={draftValue(field, stored[field.key])}
                linkTargets={linkTargets}
                onChange={set}
              />
            )}
          </Field>
        );
      })}
    </>
  );
}

type SingleProps = {
  t: TFunction;
  control: ControlProps;
  field: CustomField;
  value: string;
  /** What the record holds now (a retired choice it holds stays offered). */
  held: DraftValue;
  linkTargets: readonly CustomFieldTarget[];
  onChange: (value: string) => void;
};

function SingleInput({ t, control, field, value, held, linkTargets, onChange }: SingleProps) {
  const common = { ...control, name: `custom.${field.key}`, "data-testid": `custom-input-${field.key}`, className: "input" };
  switch (field.kind) {
    case "number":
    case "decimal":
      return (
        <input
          {...common}
          type="text"
          inputMode={field.kind === "number" ? "numeric" : "decimal"}
          dir="ltr"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "date":
      return <input {...common} type="date" value={value} onChange={(e) => onChange(e.target.value)} />;
    case "yes_no":
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("customFields.notSet")}</option>
          <option value="yes">{t("customFields.yes")}</option>
          <option value="no">{t("customFields.no")}</option>
        </select>
      );
    case "choice": {
      // Retired choices are not offered, except the one the record holds (or was given).
      const offered = field.choices.filter((c) => !c.retired || c.key === held || c.key === value);
      const unknown = value !== "" && !field.choices.some((c) => c.key === value);
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("customFields.notSet")}</option>
          {offered.map((c) => (
            <option key={c.key} value={c.key}>
              {c.retired ? t("customFields.retiredChoice", { label: c.label }) : c.label}
            </option>
          ))}
          {unknown && <option value={value}>{value}</option>}
        </select>
      );
    }
    case "link":
      return (
        <LinkInput
          t={t}
          control={control}
          field={field}
          value={value}
          linkTargets={linkTargets}
          onChange={onChange}
        />
      );
    default:
      return <input {...common} type="text" dir="auto" value={value} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** A record of the link's kind, found by typing part of its name; shown by its title. */
function LinkInput({
  t,
  control,
  field,
  value,
  linkTargets,
  onChange,
}: Omit<SingleProps, "held">) {
  const target = linkTargets.find((x) => x.table === field.link_table);
  // The record just picked is shown by the title it was picked by; a stored one by its title as
  // read, or (out of one's reach, removed) by its id, shortened.
  const [picked, setPicked] = useState<PickedRecord | null>(null);
  const titles = useRecordTitles(value === "" || picked?.id === value ? [] : [value]);
  const hit = value === "" ? undefined : titles.get(value);
  const title = picked?.id === value ? picked.title : hit ? hit.title : hit === null ? shortId(value) : "";
  const entity = target?.search_entity ?? null;
  // A kind search does not file (or this build does not know) is named by its record's id.
  if (entity === null)
    return (
      <input
        {...control}
        className="input"
        name={`custom.${field.key}`}
        data-testid={`custom-input-${field.key}`}
        type="text"
        dir="ltr"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <RecordPicker
      control={control}
      value={value === "" ? null : { id: value, title }}
      onChange={(record) => {
        setPicked(record);
        onChange(record ? record.id : "");
      }}
      entities={[entity]}
      testId={`custom-input-${field.key}`}
      placeholder={t("customFields.linkPlaceholder")}
      listLabel={target ? recordKindLabel(t, target) : field.label}
      noMatches={t("customFields.noMatches")}
    />
  );
}

/** Checkboxes for a multi-choice field, one per choice offered, grouped under the field's label. */
function ChoiceBoxes({
  field,
  checked,
  held,
  error,
  onChange,
}: {
  field: CustomField;
  checked: string[];
  held: DraftValue;
  error?: string;
  onChange: (value: string[]) => void;
}) {
  const { t } = useTranslation();
  const labelId = useId();
  const errorId = useId();
  const holds = (key: string) => (Array.isArray(held) ? held.includes(key) : held === key) || checked.includes(key);
  const offered = field.choices.filter((c) => !c.retired || holds(c.key));
  return (
    <div className="field field-wide" role="group" aria-labelledby={labelId} aria-describedby={error ? errorId : undefined}>
      <span id={labelId} className="field-label">
        {field.label}
      </span>
      <div className="choice-boxes" data-testid={`custom-input-${field.key}`}>
        {offered.map((c) => (
          <label key={c.key} className="checkbox">
            <input
              type="checkbox"
              name={`custom.${field.key}`}
              value={c.key}
              data-testid={`custom-input-${field.key}-${c.key}`}
              aria-invalid={error ? true : undefined}
              checked={checked.includes(c.key)}
              onChange={(e) => onChange(e.target.checked ? [...checked, c.key] : checked.filter((k) => k !== c.key))}
            />
            {c.retired ? t("customFields.retiredChoice", { label: c.label }) : c.label}
          </label>
        ))}
        {offered.length === 0 && <span className="muted">{t("customFields.noChoices")}</span>}
      </div>
      {error && (
        <span id={errorId} className="field-error" data-testid={`custom-error-${field.key}`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
