import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { SegmentField, SegmentOperator } from "../../../api/generated";
import { useFieldLabel } from "../../../shared/customFields/useCustomFields";
import { useLanguage } from "../../../shared/useLanguage";
import {
  appendTo,
  changeAt,
  MAX_DEPTH,
  newCondition,
  newGroup,
  operatorsFor,
  pathKey,
  withField,
  withOp,
  type ConditionDraft,
  type FieldIndex,
  type FilterProblem,
  type GroupDraft,
  type GroupMode,
  type NodeDraft,
  type Path,
} from "../filter";
import { operatorLabel, problemMessage, rowNumber, segmentFieldLabel, type SegmentTable } from "../labels";
import { ValueInput } from "./ValueInput";

type Props = {
  table: SegmentTable;
  root: GroupDraft;
  /** The fields the core offers, standard then custom. */
  fields: readonly SegmentField[];
  index: FieldIndex;
  /** The last save's problems, by the key of the row they are about. */
  problems: ReadonlyMap<number, FilterProblem[]>;
  /** The row just added: its field takes the focus. */
  focusKey: number | null;
  onChange: (root: GroupDraft, focusKey?: number) => void;
};

/**
 * The conditions of a segment: a group whose rows must all hold ("All of these") or of which one
 * must ("Any of these"), each row a condition (field, comparison, value) or a group of its own,
 * nested at most four deep. Each row shows the core's problems with it beside it.
 */
export function FilterBuilder(props: Props) {
  return <GroupEditor {...props} group={props.root} path={[]} />;
}

type GroupProps = Props & { group: GroupDraft; path: Path };

function GroupEditor(props: GroupProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { root, group, path, problems, onChange } = props;
  const key = pathKey(path);
  const nested = path.length > 0;
  const depth = path.length + 1;
  const errorId = useId();
  const messages = (problems.get(group.key) ?? []).map((p) => problemMessage(t, p, undefined, undefined));
  const name = nested ? t("segments.builder.groupOf", { n: rowNumber(path, language) }) : t("segments.builder.label");

  function add(node: NodeDraft) {
    const focus = node.kind === "condition" ? node.key : node.items[0]?.key;
    onChange(appendTo(root, path, node), focus);
  }

  return (
    <div
      className={nested ? "segment-group segment-group-nested" : "segment-group"}
      role="group"
      aria-label={name}
      aria-describedby={messages.length > 0 ? errorId : undefined}
      data-testid={nested ? `segment-group-${key}` : "segment-group-root"}
      data-mode={group.mode}
    >
      <div className="segment-group-head">
        <select
          className="input select-compact"
          data-testid="segment-group-mode"
          data-path={key}
          aria-label={t("segments.builder.modeOf", { group: name })}
          value={group.mode}
          onChange={(e) => onChange(changeAt(root, path, (node) => (node.kind === "group" ? { ...node, mode: e.target.value as GroupMode } : node)))}
        >
          <option value="all">{t("segments.builder.all")}</option>
          <option value="any">{t("segments.builder.any")}</option>
        </select>
        {nested && (
          <button
            type="button"
            className="link-button segment-remove"
            data-testid={`segment-remove-${key}`}
            aria-label={t("segments.builder.removeGroup", { n: rowNumber(path, language) })}
            onClick={() => remove(root, path, onChange)}
          >
            {t("segments.builder.remove")}
          </button>
        )}
      </div>
      {messages.length > 0 && (
        <div id={errorId} className="field-error segment-row-errors" role="alert" data-testid={`segment-error-${key}`}>
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      {group.items.length === 0 ? (
        <p className="muted small segment-group-empty">{nested ? t("segments.builder.emptyGroup") : t("segments.builder.noConditions")}</p>
      ) : (
        <ol className="segment-items">
          {group.items.map((item, i) => {
            const itemPath = [...path, i];
            return (
              <li key={item.key} className="segment-item">
                {i > 0 && (
                  <span className="segment-joiner" aria-hidden="true">
                    {group.mode === "all" ? t("segments.builder.and") : t("segments.builder.or")}
                  </span>
                )}
                {item.kind === "group" ? (
                  <GroupEditor {...props} group={item} path={itemPath} />
                ) : (
                  <ConditionRow {...props} condition={item} path={itemPath} />
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div className="segment-group-actions">
        <button type="button" className="button" data-testid="segment-add-condition" data-path={key} onClick={() => add(newCondition())}>
          {t("segments.builder.addCondition")}
        </button>
        {depth < MAX_DEPTH && (
          <button type="button" className="button" data-testid="segment-add-group" data-path={key} onClick={() => add(newGroup(group.mode === "all" ? "any" : "all"))}>
            {t("segments.builder.addGroup")}
          </button>
        )}
      </div>
    </div>
  );
}

/** Removes the row at `path`; the focus goes to its group's "Add condition". */
function remove(root: GroupDraft, path: Path, onChange: Props["onChange"]) {
  onChange(changeAt(root, path, () => null));
  const group = pathKey(path.slice(0, -1));
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid='segment-add-condition'][data-path='${group}']`)?.focus());
}

type RowProps = Props & { condition: ConditionDraft; path: Path };

function ConditionRow({ table, root, fields, index, problems, focusKey, onChange, condition, path }: RowProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  // A field no longer offered (retired since the segment was saved) is still named, by its label.
  const nameOf = useFieldLabel(table);
  const errorId = useId();
  const key = pathKey(path);
  const n = rowNumber(path, language);
  const field = index.get(condition.field);
  const own = problems.get(condition.key) ?? [];
  const messages = own.map((p) => problemMessage(t, p, field?.type, condition.op));
  const invalid = (part: FilterProblem["part"]) => own.some((p) => p.part === part || p.part === "node");
  const describedBy = (part: FilterProblem["part"]) => (invalid(part) ? errorId : undefined);
  const set = (change: (c: ConditionDraft) => ConditionDraft) =>
    onChange(changeAt(root, path, (node) => (node.kind === "condition" ? change(node) : node)));
  const standard = fields.filter((f) => f.label === null);
  const custom = fields.filter((f) => f.label !== null);
  const ops = operatorsFor(field?.type);

  return (
    <div className="segment-condition" data-testid={`segment-condition-${key}`} data-field={condition.field || undefined}>
      <div className="segment-condition-controls">
        <select
          className="input"
          data-testid={`segment-field-${key}`}
          aria-label={t("segments.builder.fieldOf", { n })}
          aria-invalid={invalid("field") || undefined}
          aria-describedby={describedBy("field")}
          autoFocus={focusKey === condition.key}
          value={condition.field}
          onChange={(e) => set((c) => withField(c, e.target.value, index.get(e.target.value)?.type))}
        >
          <option value="">{t("segments.builder.chooseField")}</option>
          <optgroup label={t("segments.builder.standardFields")}>
            {standard.map((f) => (
              <option key={f.field} value={f.field}>
                {segmentFieldLabel(t, f)}
              </option>
            ))}
          </optgroup>
          {custom.length > 0 && (
            <optgroup label={t("customFields.title")}>
              {custom.map((f) => (
                <option key={f.field} value={f.field}>
                  {segmentFieldLabel(t, f)}
                </option>
              ))}
            </optgroup>
          )}
          {condition.field !== "" && !field && (
            <option value={condition.field}>{t("segments.builder.notOffered", { label: nameOf(condition.field) })}</option>
          )}
        </select>
        <select
          className="input"
          data-testid={`segment-op-${key}`}
          aria-label={t("segments.builder.opOf", { n })}
          aria-invalid={invalid("op") || undefined}
          aria-describedby={describedBy("op")}
          disabled={condition.field === ""}
          value={condition.op}
          onChange={(e) => set((c) => withOp(c, e.target.value as SegmentOperator))}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {operatorLabel(t, field?.type, op)}
            </option>
          ))}
          {!ops.includes(condition.op) && <option value={condition.op}>{operatorLabel(t, field?.type, condition.op)}</option>}
        </select>
        <div className="segment-value">
          <ValueInput
            table={table}
            field={field}
            condition={condition}
            testId={`segment-value-${key}`}
            label={t("segments.builder.valueOf", { n })}
            invalid={invalid("value")}
            describedBy={describedBy("value")}
            onChange={(value) => set((c) => ({ ...c, value }))}
          />
        </div>
        <button
          type="button"
          className="link-button segment-remove"
          data-testid={`segment-remove-${key}`}
          aria-label={t("segments.builder.removeCondition", { n })}
          onClick={() => remove(root, path, onChange)}
        >
          {t("segments.builder.remove")}
        </button>
      </div>
      {messages.length > 0 && (
        <div id={errorId} className="field-error segment-row-errors" role="alert" data-testid={`segment-error-${key}`}>
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
    </div>
  );
}
