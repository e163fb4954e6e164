import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FieldValueCount, SearchEntity, SegmentField } from "../../../api/generated";
import { formatNumber } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { RecordPicker, type PickedRecord } from "../../../shared/search/RecordPicker";
import { useRecordTitles, type Titles } from "../../../shared/search/useRecordTitles";
import { TextOrPhone } from "../../../shared/ui/Phone";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { asList, asSingle, MAX_VALUES, needsValue, type ConditionDraft, type DraftValue } from "../filter";
import { useChoiceLabel } from "../hooks/useChoiceLabel";
import { useFieldValues } from "../hooks/useSegments";
import type { SegmentTable } from "../labels";

type Props = {
  table: SegmentTable;
  /** The condition's field as the core offers it; undefined while none is chosen, or for one no longer offered (retired). */
  field: SegmentField | undefined;
  condition: ConditionDraft;
  /** `segment-value-<path>`: the control, or the group of checkboxes. */
  testId: string;
  /** The accessible name ("Value of condition 2"). */
  label: string;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: DraftValue) => void;
};

/** What the core calls the kinds of record a reference may point to, as search files them. */
const SEARCH_ENTITIES: Partial<Record<string, SearchEntity>> = { organisations: "organisation", contacts: "contact" };

type Common = Pick<Props, "testId" | "label" | "invalid" | "describedBy">;

/**
 * The value of a condition, by its field's type: text with the values records hold offered, a
 * choice (checkboxes for "any of"), a number (Persian digits allowed), a date, yes or no, an
 * organisation found by typing, a colleague; "any of" a list of them. Nothing for "is empty".
 */
export function ValueInput({ table, field, condition, testId, label, invalid, describedBy, onChange }: Props) {
  const { t } = useTranslation();
  if (!needsValue(condition.op)) return null;
  const common: Common = { testId, label, invalid, describedBy };
  const aria = { "aria-label": label, "aria-invalid": invalid || undefined, "aria-describedby": describedBy };
  const many = condition.op === "any_of";
  const single = asSingle(condition.value);
  if (condition.field === "")
    return <input className="input" data-testid={testId} {...aria} disabled readOnly value="" placeholder={t("segments.builder.chooseFieldFirst")} />;

  switch (field?.type) {
    case "choice":
    case "multi_choice":
      return many ? (
        <ChoiceBoxes table={table} field={field} chosen={asList(condition.value)} onChange={onChange} {...common} />
      ) : (
        <ChoiceSelect table={table} field={field} value={single} onChange={onChange} {...common} />
      );
    case "number":
      return (
        <input
          className="input"
          data-testid={testId}
          {...aria}
          type="text"
          inputMode="decimal"
          dir="ltr"
          autoComplete="off"
          value={single}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "date":
      return <input className="input" data-testid={testId} {...aria} type="date" value={single} onChange={(e) => onChange(e.target.value)} />;
    case "yes_no":
      return (
        <select className="input" data-testid={testId} {...aria} value={single} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("segments.builder.chooseValue")}</option>
          <option value="yes">{t("customFields.yes")}</option>
          <option value="no">{t("customFields.no")}</option>
        </select>
      );
    case "reference": {
      if (field.table === "users")
        return many ? <PeopleList chosen={asList(condition.value)} onChange={onChange} {...common} /> : <PersonSelect value={single} onChange={onChange} {...common} />;
      const entity = SEARCH_ENTITIES[field.table];
      if (entity)
        return many ? (
          <RecordList entity={entity} chosen={asList(condition.value)} onChange={onChange} {...common} />
        ) : (
          <RecordInput entity={entity} value={single} onChange={onChange} {...common} />
        );
      // A kind search does not file: its record's id, typed.
      return many ? (
        <TextList table={table} field={null} chosen={asList(condition.value)} onChange={onChange} {...common} />
      ) : (
        <input className="input" data-testid={testId} {...aria} type="text" dir="ltr" autoComplete="off" value={single} onChange={(e) => onChange(e.target.value)} />
      );
    }
    default: {
      // Text, or a field no longer offered: typed, with the values records hold offered for text.
      const suggest = field?.type === "text" ? field.field : null;
      return many ? (
        <TextList table={table} field={suggest} chosen={asList(condition.value)} onChange={onChange} {...common} />
      ) : (
        <TextSuggest table={table} field={suggest} value={single} onChange={onChange} onCommit={onChange} {...common} />
      );
    }
  }
}

// ---------- Choices ----------

function ChoiceSelect({
  table,
  field,
  value,
  onChange,
  testId,
  label,
  invalid,
  describedBy,
}: Common & { table: SegmentTable; field: Extract<SegmentField, { values: string[] }>; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const choiceLabel = useChoiceLabel(table);
  const unknown = value !== "" && !field.values.includes(value);
  return (
    <select
      className="input"
      data-testid={testId}
      aria-label={label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{t("segments.builder.chooseValue")}</option>
      {field.values.map((key) => (
        <option key={key} value={key}>
          {choiceLabel(field.field, key)}
        </option>
      ))}
      {unknown && <option value={value}>{choiceLabel(field.field, value)}</option>}
    </select>
  );
}

function ChoiceBoxes({
  table,
  field,
  chosen,
  onChange,
  testId,
  label,
  invalid,
  describedBy,
}: Common & { table: SegmentTable; field: Extract<SegmentField, { values: string[] }>; chosen: string[]; onChange: (value: string[]) => void }) {
  const { t } = useTranslation();
  const choiceLabel = useChoiceLabel(table);
  // Kept in the field's order, whatever order they were ticked in; one no longer offered stays until unticked.
  const offered = [...field.values, ...chosen.filter((key) => !field.values.includes(key))];
  const toggle = (key: string, on: boolean) => {
    const next = on ? [...chosen, key] : chosen.filter((k) => k !== key);
    onChange(offered.filter((k) => next.includes(k)));
  };
  return (
    <div className="choice-boxes segment-choices" role="group" aria-label={label} aria-describedby={describedBy} data-testid={testId}>
      {offered.map((key) => (
        <label key={key} className="checkbox">
          <input
            type="checkbox"
            value={key}
            data-testid={`${testId}-${key}`}
            aria-invalid={invalid || undefined}
            checked={chosen.includes(key)}
            onChange={(e) => toggle(key, e.target.checked)}
          />
          <bdi>{choiceLabel(field.field, key)}</bdi>
        </label>
      ))}
      {offered.length === 0 && <span className="muted">{t("customFields.noChoices")}</span>}
    </div>
  );
}

// ---------- Text ----------

const SUGGESTIONS_SHOWN = 50;
const NO_VALUES: FieldValueCount[] = [];

type SuggestProps = Common & {
  table: SegmentTable;
  /** The text field whose values are offered; null: none are. */
  field: string | null;
  value: string;
  onChange: (value: string) => void;
  /** A value offered was picked, or Enter pressed on the text typed. */
  onCommit: (value: string) => void;
  placeholder?: string;
};

/**
 * Text typed, or one of the values records hold picked from a list under it (the commonest
 * first, with how many hold each): ↓ opens it, ↑ ↓ move, Enter picks, Esc closes. Text compares
 * whole values, so picking one that exists is the surest way to match.
 */
function TextSuggest({ table, field, value, onChange, onCommit, placeholder, testId, label, invalid, describedBy }: SuggestProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const values = useFieldValues(table, field).data?.values ?? NO_VALUES;
  const needle = value.trim().toLocaleLowerCase(language);
  const offered = values.filter((v) => v.value.toLocaleLowerCase(language).includes(needle)).slice(0, SUGGESTIONS_SHOWN);
  const shown = open && offered.length > 0;
  const activeIndex = Math.min(active, Math.max(offered.length - 1, 0));

  function pick(chosen: FieldValueCount | undefined) {
    if (!chosen) return;
    setOpen(false);
    onCommit(chosen.value);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!shown) {
        setOpen(true);
        setActive(0);
        return;
      }
      setActive(Math.max(0, Math.min(offered.length - 1, activeIndex + (e.key === "ArrowDown" ? 1 : -1))));
    } else if (e.key === "Enter" && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (shown) pick(offered[activeIndex]);
      else onCommit(value);
    } else if (e.key === "Escape" && shown) {
      e.stopPropagation();
      setOpen(false);
    }
  }

  return (
    <div className="picker segment-suggest">
      <input
        className="input"
        data-testid={testId}
        role="combobox"
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown ? `${listId}-${activeIndex}` : undefined}
        autoComplete="off"
        dir="auto"
        placeholder={placeholder ?? (values.length > 0 ? t("segments.builder.typeOrPick") : t("segments.builder.typeValue"))}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {shown && (
        <ul className="picker-list" id={listId} role="listbox" aria-label={t("segments.builder.suggestions")}>
          {offered.map((v, i) => (
            <li
              key={v.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? "picker-option selected" : "picker-option"}
              data-testid={`${testId}-option`}
              data-value={v.value}
              // Keep the focus in the box while the pointer picks.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(v)}
            >
              <bdi className="picker-title">
                <TextOrPhone text={v.value} />
              </bdi>
              <span className="muted picker-subtitle segment-suggest-count">{t("segments.builder.held", { count: v.count, total: formatNumber(v.count, language) })}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Several texts ("any of"): each a chip that can be removed, the next typed or picked from the values records hold. */
function TextList({ table, field, chosen, onChange, testId, label, invalid, describedBy }: Common & { table: SegmentTable; field: string | null; chosen: string[]; onChange: (value: string[]) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const full = chosen.length >= MAX_VALUES;

  function add(value: string) {
    const next = value.trim();
    if (next === "" || full) return;
    if (!chosen.includes(next)) onChange([...chosen, next]);
    setText("");
  }

  return (
    <div className="segment-list-input">
      <Chips testId={testId} values={chosen} name={(v) => <TextOrPhone text={v} />} label={(v) => v} onRemove={(v) => onChange(chosen.filter((c) => c !== v))} />
      <div className="segment-list-adder">
        <TextSuggest
          table={table}
          field={field}
          value={text}
          onChange={setText}
          onCommit={add}
          placeholder={t("segments.builder.addValueHint")}
          testId={testId}
          label={label}
          invalid={invalid}
          describedBy={describedBy}
        />
        <button type="button" className="button" data-testid={`${testId}-add`} disabled={full} onClick={() => add(text)}>
          {t("segments.builder.addValue")}
        </button>
      </div>
    </div>
  );
}

/** The values of a list as chips, each with a button that removes it. */
function Chips({
  testId,
  values,
  name,
  label,
  onRemove,
}: {
  testId: string;
  values: string[];
  name: (value: string) => ReactNode;
  /** The value as plain text, for the remove button's accessible name. */
  label: (value: string) => string;
  onRemove: (value: string) => void;
}) {
  const { t } = useTranslation();
  if (values.length === 0) return null;
  return (
    <ul className="segment-chips" data-testid={`${testId}-chips`}>
      {values.map((value) => (
        <li key={value} className="chip segment-chip" data-testid={`${testId}-chip`} data-value={value}>
          <bdi>{name(value)}</bdi>
          <button type="button" className="segment-chip-remove" aria-label={t("segments.builder.removeValue", { value: label(value) })} onClick={() => onRemove(value)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

// ---------- Records and people ----------

/** A record's title as read: null while it is read, its id shortened when it cannot be. */
function titleOf(titles: Titles, picked: ReadonlyMap<string, string>, id: string): string | null {
  const known = picked.get(id);
  if (known !== undefined) return known;
  const hit = titles.get(id);
  if (hit === undefined) return null;
  return hit === null ? shortId(id) : hit.title;
}

/** An organisation (or contact) found by typing part of its name; a saved one shown by its title. */
function RecordInput({ entity, value, onChange, testId, label, invalid, describedBy }: Common & { entity: SearchEntity; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [picked, setPicked] = useState<PickedRecord | null>(null);
  const titles = useRecordTitles(value === "" || picked?.id === value ? [] : [value]);
  const title = picked?.id === value ? picked.title : (titleOf(titles, new Map(), value) ?? "");
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <RecordPicker
        control={{ id, "aria-invalid": invalid || undefined, "aria-describedby": describedBy }}
        value={value === "" ? null : { id: value, title }}
        onChange={(record) => {
          setPicked(record);
          onChange(record ? record.id : "");
        }}
        entities={[entity]}
        testId={testId}
        placeholder={t("customFields.linkPlaceholder")}
        listLabel={t(`palette.${entity}`)}
        noMatches={t("customFields.noMatches")}
      />
    </>
  );
}

/** Several records ("any of"): chips by title, the next found by typing. */
function RecordList({ entity, chosen, onChange, testId, label, invalid, describedBy }: Common & { entity: SearchEntity; chosen: string[]; onChange: (value: string[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [picked, setPicked] = useState<ReadonlyMap<string, string>>(new Map());
  const titles = useRecordTitles(chosen.filter((c) => !picked.has(c)));
  const full = chosen.length >= MAX_VALUES;
  return (
    <div className="segment-list-input">
      <Chips
        testId={testId}
        values={chosen}
        name={(v) => titleOf(titles, picked, v) ?? "…"}
        label={(v) => titleOf(titles, picked, v) ?? v}
        onRemove={(v) => onChange(chosen.filter((c) => c !== v))}
      />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      {/* A fresh picker after each pick: the box empties for the next one, and keeps the focus. */}
      <RecordPicker
        key={chosen.length}
        control={{ id, "aria-invalid": invalid || undefined, "aria-describedby": describedBy }}
        value={null}
        onChange={(record) => {
          if (!record || full) return;
          setPicked((prev) => new Map(prev).set(record.id, record.title));
          if (!chosen.includes(record.id)) onChange([...chosen, record.id]);
          requestAnimationFrame(() => document.getElementById(id)?.focus());
        }}
        entities={[entity]}
        testId={testId}
        placeholder={t("segments.builder.addRecordHint")}
        listLabel={t(`palette.${entity}`)}
        noMatches={t("customFields.noMatches")}
      />
    </div>
  );
}

/** The colleagues one may pick, by name; the one chosen stays offered if no longer active. */
function useOfferedPeople(keep: readonly string[]) {
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const users = directory?.users ?? [];
  const people = users
    .filter((u) => u.active || keep.includes(u.id))
    .map((u) => ({ id: u.id, name: u.display_name }))
    .sort((a, b) => a.name.localeCompare(b.name, language));
  const name = (id: string) => (directory ? colleagueName(directory, id) : undefined) ?? shortId(id);
  return { people, name };
}

function PersonSelect({ value, onChange, testId, label, invalid, describedBy }: Common & { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const { people, name } = useOfferedPeople([value]);
  const unknown = value !== "" && !people.some((p) => p.id === value);
  return (
    <select
      className="input"
      data-testid={testId}
      aria-label={label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{t("segments.builder.choosePerson")}</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
      {unknown && <option value={value}>{name(value)}</option>}
    </select>
  );
}

/** Several colleagues ("any of"): chips by name, the next chosen from a list. */
function PeopleList({ chosen, onChange, testId, label, invalid, describedBy }: Common & { chosen: string[]; onChange: (value: string[]) => void }) {
  const { t } = useTranslation();
  const { people, name } = useOfferedPeople(chosen);
  const left = people.filter((p) => !chosen.includes(p.id));
  return (
    <div className="segment-list-input">
      <Chips testId={testId} values={chosen} name={name} label={name} onRemove={(v) => onChange(chosen.filter((c) => c !== v))} />
      <select
        className="input"
        data-testid={testId}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        value=""
        disabled={chosen.length >= MAX_VALUES}
        onChange={(e) => {
          if (e.target.value !== "") onChange([...chosen, e.target.value]);
        }}
      >
        <option value="">{t("segments.builder.addPerson")}</option>
        {left.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
