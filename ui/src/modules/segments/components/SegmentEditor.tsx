import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, Segment, SegmentField } from "../../../api/generated";
import { MATCH, useShortcut } from "../../../app/shortcuts";
import { errorMessage, fieldErrorFor, fieldErrorMessage, isConflict } from "../../../shared/errors";
import { fieldLabel } from "../../../shared/labels";
import { Field } from "../../../shared/ui/Field";
import { useLanguage } from "../../../shared/useLanguage";
import {
  countConditions,
  fieldIndex,
  filterProblem,
  fromFilter,
  MAX_CONDITIONS,
  newGroup,
  placeProblems,
  previewFilter,
  toFilter,
  type FilterProblem,
  type GroupDraft,
} from "../filter";
import { useSaveSegment, useSegmentFields } from "../hooks/useSegments";
import { unplacedMessage, type SegmentTable } from "../labels";
import { FilterBuilder } from "./FilterBuilder";
import { SegmentPreview } from "./SegmentPreview";

type Props = {
  table: SegmentTable;
  /** The segment to change; null for a new one. */
  segment: Segment | null;
  onSaved: (segment: Segment) => void;
  onCancel: () => void;
  /** Someone changed the segment meanwhile: open it again as it is now. */
  onReload: () => void;
};

/** A new segment, or a saved one changed: its name, notes and conditions, with who they select beside them. */
export function SegmentEditor(props: Props) {
  const { t } = useTranslation();
  const fields = useSegmentFields(props.table);
  if (fields.error)
    return (
      <div className="banner banner-error" role="alert" data-testid="segment-fields-error">
        <p>{errorMessage(t, fields.error)}</p>
        <button type="button" className="button" onClick={() => void fields.refetch()}>
          {t("app.retry")}
        </button>
      </div>
    );
  if (!fields.data) return <p className="muted">{t("app.loading")}</p>;
  return <EditorForm {...props} fields={fields.data.fields} />;
}

type Problems = { placed: ReadonlyMap<number, FilterProblem[]>; unplaced: FilterProblem[] };
const NO_PROBLEMS: Problems = { placed: new Map(), unplaced: [] };
/** The segment's own fields, shown beside their boxes. */
const OWN_FIELDS = ["name", "notes"];

function EditorForm({ table, segment, onSaved, onCancel, onReload, fields }: Props & { fields: readonly SegmentField[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const titleId = useId();
  const index = useMemo(() => fieldIndex(fields), [fields]);
  const [name, setName] = useState(segment?.name ?? "");
  const [notes, setNotes] = useState(segment?.notes ?? "");
  const [root, setRoot] = useState<GroupDraft>(() => (segment ? fromFilter(segment.filter) : newGroup("all")));
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const { create, change, pending } = useSaveSegment();
  const formRef = useRef<HTMLFormElement>(null);
  const preview = previewFilter(root, index);
  const conditions = countConditions(root);

  async function save() {
    if (pending) return;
    // Exactly what is shown, incomplete rows too: the core says what is wrong with each, at its place.
    const filter = toFilter(root, index);
    try {
      const saved = segment
        ? await change({ id: segment.id, version: segment.version, name, filter, notes })
        : await create({ name, table, filter, ...(notes.trim() !== "" ? { notes } : {}) });
      setError(null);
      setProblems(NO_PROBLEMS);
      onSaved(saved);
    } catch (e) {
      const apiError = e as ApiError;
      setError(apiError);
      setProblems(placeProblems(root, apiError.fields));
      // Bring the first problem into view.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
    }
  }

  useShortcut(MATCH.save, () => void save());

  const conflict = isConflict(error);
  const nameError = fieldErrorFor(error, "name");
  const notesError = fieldErrorFor(error, "notes");
  // Problems no box or row shows: the filter's as a whole where no row is, and any other field's.
  const others = error
    ? Object.entries(error.fields).filter(([field, fe]) => !OWN_FIELDS.includes(field) && filterProblem(field, fe) === null && fe.code !== "stale_version")
    : [];

  return (
    <form
      ref={formRef}
      className="segment-editor"
      data-testid="segment-editor"
      noValidate
      aria-labelledby={titleId}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save();
      }}
    >
      <header className="panel-header">
        <h2 id={titleId} className="screen-title">
          {segment ? t("segments.editor.editTitle") : t("segments.editor.newTitle")}
        </h2>
        {segment && (
          <bdi className="muted" data-testid="segment-editor-of">
            {segment.name}
          </bdi>
        )}
        <span className="toolbar-spacer" />
        <span className="muted small">{t("segments.editor.shortcuts")}</span>
      </header>

      {error && (
        <div className="banner banner-error" data-testid="segment-form-error" role="alert">
          <p>{conflict ? t("segments.editor.conflict") : errorMessage(t, error)}</p>
          {(problems.unplaced.length > 0 || others.length > 0) && (
            <ul>
              {problems.unplaced.map((p) => (
                <li key={`${p.path.join(".")}-${p.part}`}>{unplacedMessage(t, p, language)}</li>
              ))}
              {others.map(([field, fe]) => (
                <li key={field}>
                  {fieldLabel(t, field)}: {fieldErrorMessage(t, fe)}
                </li>
              ))}
            </ul>
          )}
          {conflict && (
            <button type="button" className="button" data-testid="segment-reload" onClick={onReload}>
              {t("form.reload")}
            </button>
          )}
        </div>
      )}

      <div className="form-grid">
        <Field
          label={t("segments.editor.name")}
          error={nameError ? fieldErrorMessage(t, nameError) : undefined}
          errorTestId="segment-name-error"
          required
          requiredLabel={t("form.required")}
          className="field-wide"
        >
          {(control) => (
            <input
              {...control}
              className="input"
              name="name"
              data-testid="segment-name"
              dir="auto"
              autoFocus={!segment}
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("segments.editor.notes")}
          error={notesError ? fieldErrorMessage(t, notesError) : undefined}
          errorTestId="segment-notes-error"
          hint={t("segments.editor.notesHint")}
          className="field-wide"
        >
          {(control) => (
            <textarea {...control} className="input" name="notes" data-testid="segment-notes" dir="auto" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
          )}
        </Field>
      </div>

      <div className="segment-editor-body">
        <section className="segment-conditions">
          <h3 className="section-title">{t("segments.builder.label")}</h3>
          <FilterBuilder
            table={table}
            root={root}
            fields={fields}
            index={index}
            problems={problems.placed}
            focusKey={focusKey}
            onChange={(next, focus) => {
              setRoot(next);
              if (focus !== undefined) setFocusKey(focus);
            }}
          />
          {conditions > MAX_CONDITIONS && (
            <p className="status-warning" role="status">
              {t("segments.errors.tooMany")}
            </p>
          )}
        </section>
        <SegmentPreview table={table} preview={preview} />
      </div>

      <footer className="panel-footer">
        <button type="button" className="button" data-testid="segment-cancel" onClick={onCancel}>
          {t("form.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="segment-save" disabled={pending}>
          {pending ? t("form.saving") : t("form.save")}
        </button>
      </footer>
    </form>
  );
}
