import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, RuleFiring, RuleKind, RuleRow, SegmentField } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useTopics } from "../../../shared/interactions/useTopics";
import { shortId } from "../../../shared/labels";
import { useRecordTitles } from "../../../shared/search/useRecordTitles";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { DialogShell } from "../../interactions/components/DialogShell";
import { useChoiceLabel } from "../../segments/hooks/useChoiceLabel";
import { isSegmentTable } from "../../segments/labels";
import { useSession } from "../../session/hooks/useSession";
import { canManageRules, canReadRules } from "../access";
import { useFirings, useOutbox, useRefreshRules, useRules } from "../hooks/useRules";
import { describeOnlyIf, describeThen, describeWhen, kindName, valueWords, type RuleWords } from "../words";
import { OutboxView } from "./OutboxView";
import { RuleEditor, type RuleEditorMode } from "./RuleEditor";

const NO_FIELDS: SegmentField[] = [];

/** What the tab shows: the rules, or the emails they queued. */
type View = "rules" | "outbox";

/**
 * Workflow rules (COMM-6) in administration: each rule by name with when it fires and what it then
 * does in words, how often it fired and when last, and whether it is switched off; the switched-off
 * ones on request. Who may manage rules defines a new one, changes one, switches it off or on;
 * everyone who sees them can look at what a rule did, and at the emails rules queued (the outbox).
 */
export function RulesTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useSession().status.user;
  const canManage = canManageRules(user);
  const canRead = canReadRules(user);
  const [view, setView] = useState<View>("rules");
  const outbox = useOutbox(canRead);
  const [withSwitchedOff, setWithSwitchedOff] = useState(false);
  const rules = useRules(withSwitchedOff);
  const refresh = useRefreshRules();
  const [editor, setEditor] = useState<RuleEditorMode | null>(null);
  const [firings, setFirings] = useState<RuleRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const switchOff = useMutation("workflow.switch_off");
  const switchOn = useMutation("workflow.switch_on");
  const busy = switchOff.pending || switchOn.pending;
  const words = useRuleWords(rules.data?.rules ?? []);
  const kinds = rules.data?.kinds ?? [];

  async function setSwitchedOff(rule: RuleRow, off: boolean) {
    if (busy) return;
    setNotice(null);
    setProblem(null);
    try {
      const changed = await (off ? switchOff : switchOn).run({ id: rule.id, version: rule.version });
      setNotice(t(off ? "workflow.list.switchedOffNotice" : "workflow.list.switchedOnNotice", { name: changed.name }));
    } catch (e) {
      setProblem(e as ApiError);
    }
    await refresh();
  }

  return (
    <div className="admin-tab" data-testid="rules-tab">
      <h2 className="section-title">{t("workflow.list.title")}</h2>
      <p className="muted">{t("workflow.list.intro")}</p>
      {canRead && (
        <div className="section-toolbar">
          <div className="segmented" role="group" aria-label={t("workflow.views.label")}>
            <button type="button" className="segment" aria-pressed={view === "rules"} data-testid="rules-view-rules" onClick={() => setView("rules")}>
              {t("workflow.views.rules")}
            </button>
            <button type="button" className="segment" aria-pressed={view === "outbox"} data-testid="outbox-open" onClick={() => setView("outbox")}>
              {outbox.data
                ? t("workflow.views.outboxCount", { n: formatNumber(outbox.data.emails.length, language) })
                : t("workflow.views.outbox")}
            </button>
          </div>
        </div>
      )}
      {rules.error && (
        <div className="banner banner-error" role="alert" data-testid="rules-error">
          <p>{errorMessage(t, rules.error)}</p>
          <button type="button" className="button" onClick={() => void rules.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-success" role="status" data-testid="rules-notice">
          {notice}
        </div>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="rules-problem">
          {errorMessage(t, problem)}
        </div>
      )}
      {view === "outbox" && canRead ? (
        <OutboxView
          canManage={canManage}
          onOpenRule={(rule) => {
            setNotice(null);
            setEditor({ kind: "edit", rule });
          }}
        />
      ) : (
        <>
          <div className="section-toolbar">
            <label className="checkbox">
              <input type="checkbox" data-testid="rules-show-switched-off" checked={withSwitchedOff} onChange={(e) => setWithSwitchedOff(e.target.checked)} />
              {t("workflow.list.showSwitchedOff")}
            </label>
            <span className="toolbar-spacer" />
            {canManage && (
              <button
                type="button"
                className="button button-primary"
                data-testid="rule-new"
                disabled={kinds.length === 0}
                onClick={() => {
                  setNotice(null);
                  setEditor({ kind: "new" });
                }}
              >
                {t("workflow.list.new")}
              </button>
            )}
          </div>
          {!rules.data && !rules.error ? (
            <p className="muted">{t("app.loading")}</p>
          ) : rules.data && rules.data.rules.length === 0 ? (
            <p className="empty" data-testid="rules-empty">
              {t("workflow.list.empty")}
            </p>
          ) : (
            rules.data && (
              <table className="data-table rules-table" data-testid="rules-list">
                <thead>
                  <tr>
                    <th>{t("workflow.fields.name")}</th>
                    <th>{t("workflow.fields.when")}</th>
                    <th>{t("workflow.fields.then")}</th>
                    <th>{t("workflow.list.fired")}</th>
                    <th>{t("workflow.list.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rules.data.rules.map((rule) => {
                    const off = rule.archived_at !== null;
                    const kind = kindFor(kinds, rule.record_table);
                    const ruleWords = words(kind);
                    const onlyIf = describeOnlyIf(ruleWords, rule.trigger, rule.condition);
                    return (
                      <tr key={rule.id} data-testid="rule-row" data-id={rule.id} data-switched-off={off ? "true" : undefined}>
                        <td>
                          <bdi className="cell-strong" data-testid="rule-row-name">
                            {rule.name}
                          </bdi>
                          {off && (
                            <>
                              {" "}
                              <span className="badge badge-retired" data-testid="rule-row-off">
                                {t("workflow.list.switchedOff")}
                              </span>
                            </>
                          )}
                          <div className="muted small">{kindName(t, kind.table, kind.label)}</div>
                        </td>
                        <td data-testid="rule-row-when">
                          {describeWhen(ruleWords, rule.trigger, rule.condition)}
                          {onlyIf && <div className="muted small">{t("workflow.list.onlyIf", { condition: onlyIf })}</div>}
                        </td>
                        <td data-testid="rule-row-then">
                          <bdi>{describeThen(ruleWords, rule.action)}</bdi>
                        </td>
                        <td data-testid="rule-row-fired">
                          {rule.fired === 0
                            ? t("workflow.list.neverFired")
                            : t("workflow.list.firedTimes", { count: rule.fired, n: formatNumber(rule.fired, language) })}
                          {rule.last_fired_at && (
                            <div className="muted small">{t("workflow.list.lastFired", { time: formatDateTime(rule.last_fired_at, language) })}</div>
                          )}
                        </td>
                        <td className="row-actions">
                          <button
                            type="button"
                            className="link-button"
                            data-testid="rule-firings"
                            aria-label={t("workflow.list.firingsOf", { name: rule.name })}
                            onClick={() => setFirings(rule)}
                          >
                            {t("workflow.list.firings")}
                          </button>
                          {canManage && !off && (
                            <button
                              type="button"
                              className="link-button"
                              data-testid="rule-edit"
                              aria-label={t("workflow.list.editOne", { name: rule.name })}
                              onClick={() => {
                                setNotice(null);
                                setEditor({ kind: "edit", rule });
                              }}
                            >
                              {t("workflow.list.edit")}
                            </button>
                          )}
                          {canManage && (
                            <button
                              type="button"
                              className="link-button"
                              data-testid={off ? "rule-switch-on" : "rule-switch-off"}
                              aria-label={t(off ? "workflow.list.switchOnOne" : "workflow.list.switchOffOne", { name: rule.name })}
                              disabled={busy}
                              onClick={() => void setSwitchedOff(rule, !off)}
                            >
                              {off ? t("workflow.list.switchOn") : t("workflow.list.switchOff")}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          )}
        </>
      )}
      {editor && (
        <RuleEditor
          mode={editor}
          kinds={kinds}
          onClose={() => setEditor(null)}
          onSaved={(saved, edited) => {
            setEditor(null);
            setNotice(t(edited ? "workflow.list.changedNotice" : "workflow.list.definedNotice", { name: saved.name }));
            void refresh();
          }}
        />
      )}
      {firings && <Firings rule={firings} kind={kindFor(kinds, firings.record_table)} onClose={() => setFirings(null)} />}
    </div>
  );
}

/** The kind a rule listens to, as the core lists it (by its table alone when no longer offered). */
function kindFor(kinds: readonly RuleKind[], table: string): RuleKind {
  return kinds.find((k) => k.table === table) ?? { table, label: table, fields: NO_FIELDS };
}

/** What the list's sentences need: people's and topics' names, and values in words, for a rule's kind. */
function useRuleWords(rules: readonly RuleRow[]): (kind: RuleKind) => RuleWords {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data: directory } = useColleagues();
  const topics = useTopics(rules.some((r) => r.action.type === "schedule_contact"));
  const organisationChoice = useChoiceLabel("organisations");
  const contactChoice = useChoiceLabel("contacts");
  const person = (id: string) => (directory && colleagueName(directory, id)) ?? shortId(id);
  const topic = (id: string) => topics.byId.get(id)?.name ?? shortId(id);
  return (kind) => {
    const choice = (field: string, key: string) =>
      isSegmentTable(kind.table) ? (kind.table === "organisations" ? organisationChoice : contactChoice)(field, key) : key;
    return {
      t,
      language,
      kind,
      person,
      topic,
      value: (field, value) => valueWords(t, language, field, value, choice, person),
    };
  };
}

/** What a rule did, newest first: when, for which record, and what it made of it. */
function Firings({ rule, kind, onClose }: { rule: RuleRow; kind: RuleKind; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data, error, refetch } = useFirings(rule.id);
  const firings = data?.firings ?? [];
  const titles = useRecordTitles(firings.map((f) => f.record_id));
  const recordTitle = (f: RuleFiring) => {
    const hit = titles.get(f.record_id);
    return hit ? hit.title : shortId(f.record_id);
  };
  return (
    <DialogShell testId="rule-firings-dialog" title={t("workflow.firings.title", { name: rule.name })} onEscape={onClose}>
      {error && (
        <div className="banner banner-error" role="alert">
          <p>{errorMessage(t, error)}</p>
          <button type="button" className="button" onClick={() => void refetch()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {!data && !error && <p className="muted">{t("app.loading")}</p>}
      {data && firings.length === 0 && (
        <p className="empty" data-testid="rule-firings-empty">
          {t("workflow.firings.empty")}
        </p>
      )}
      {firings.length > 0 && (
        <table className="data-table" data-testid="rule-firings-list">
          <thead>
            <tr>
              <th>{t("workflow.firings.when")}</th>
              <th>{kindName(t, kind.table, kind.label)}</th>
              <th>{t("workflow.firings.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {firings.map((f) => (
              <tr key={f.id} data-testid="rule-firing">
                <td>
                  <time dateTime={f.fired_at}>{formatDateTime(f.fired_at, language)}</time>
                </td>
                <td>
                  <bdi>{recordTitle(f)}</bdi>
                </td>
                <td>{outcomeWords(t, f.outcome_table)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="rule-firings-close" onClick={onClose}>
          {t("app.close")}
        </button>
      </div>
    </DialogShell>
  );
}

/** What a firing made, by the table of what it created; none: it could not act (the log says why). */
function outcomeWords(t: TFunction, table: string | null): string {
  switch (table) {
    case "tasks":
      return t("workflow.firings.outcomes.tasks");
    case "scheduled_contacts":
      return t("workflow.firings.outcomes.scheduled_contacts");
    case "notices":
      return t("workflow.firings.outcomes.notices");
    case "outbox":
      return t("workflow.firings.outcomes.outbox");
    case null:
      return t("workflow.firings.outcomes.none");
    default:
      return table;
  }
}
