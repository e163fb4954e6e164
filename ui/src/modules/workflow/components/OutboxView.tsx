import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { QueuedEmail, RuleRow } from "../../../api/generated";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { shortId } from "../../../shared/labels";
import { useRecordTitles, type Titles } from "../../../shared/search/useRecordTitles";
import { useLanguage } from "../../../shared/useLanguage";
import { TableLabel } from "../../admin/components/AuditEntries";
import { useOutbox, useRules } from "../hooks/useRules";

/** The most emails the core lists (the newest). */
export const OUTBOX_LIMIT = 500;
/** How much of a body the list shows before "Show all". */
const PREVIEW_LINES = 3;
const PREVIEW_CHARS = 240;

type Props = {
  /** Who may change rules: a rule's name then opens it in the editor (while it is switched on). */
  canManage: boolean;
  onOpenRule: (rule: RuleRow) => void;
};

/**
 * The emails workflow rules queued (COMM-6), newest first: when, to whom, the subject and the start
 * of the text (all of it on request), whether it still waits, which rule queued it and what record
 * it is about. Nothing sends them yet: they wait here for the mail integration of a later version.
 */
export function OutboxView({ canManage, onOpenRule }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const outbox = useOutbox(true);
  // Switched-off rules too: an email stays queued after its rule is switched off.
  const rules = useRules(true);
  const emails = outbox.data?.emails ?? [];
  const titles = useRecordTitles(emails.flatMap((e) => (e.about_id ? [e.about_id] : [])));
  const ruleById = new Map((rules.data?.rules ?? []).map((r) => [r.id, r]));

  return (
    <section className="outbox" data-testid="outbox" aria-labelledby="outbox-title">
      <h3 className="outbox-title" id="outbox-title">
        {t("workflow.views.outbox")}
      </h3>
      <p className="muted outbox-intro">{t("workflow.outbox.intro")}</p>
      {outbox.error && (
        <div className="banner banner-error" role="alert" data-testid="outbox-error">
          <p>{errorMessage(t, outbox.error)}</p>
          <button type="button" className="button" onClick={() => void outbox.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {!outbox.data && !outbox.error ? (
        <p className="muted">{t("app.loading")}</p>
      ) : outbox.data && emails.length === 0 ? (
        <p className="empty" data-testid="outbox-empty">
          {t("workflow.outbox.empty")}
        </p>
      ) : (
        outbox.data && (
          <>
            <table className="data-table outbox-table" data-testid="outbox-list">
              <thead>
                <tr>
                  <th>{t("workflow.outbox.queued")}</th>
                  <th>{t("workflow.outbox.to")}</th>
                  <th>{t("workflow.outbox.email")}</th>
                  <th>{t("workflow.outbox.rule")}</th>
                  <th>{t("workflow.outbox.about")}</th>
                </tr>
              </thead>
              <tbody>
                {emails.map((email) => (
                  <EmailRow
                    key={email.id}
                    email={email}
                    rule={email.rule_id ? ruleById.get(email.rule_id) : undefined}
                    titles={titles}
                    canManage={canManage}
                    onOpenRule={onOpenRule}
                  />
                ))}
              </tbody>
            </table>
            {emails.length >= OUTBOX_LIMIT && <p className="muted small">{t("workflow.outbox.limit", { n: formatNumber(OUTBOX_LIMIT, language) })}</p>}
          </>
        )
      )}
    </section>
  );
}

function EmailRow({ email, rule, titles, canManage, onOpenRule }: { email: QueuedEmail; titles: Titles; rule: RuleRow | undefined } & Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [whole, setWhole] = useState(false);
  const preview = email.body === null ? null : bodyPreview(email.body);
  const bodyId = `outbox-body-${email.id}`;
  return (
    <tr data-testid="outbox-row" data-id={email.id}>
      <td>
        <time dateTime={email.created_at} data-testid="outbox-row-queued">
          {formatDateTime(email.created_at, language)}
        </time>
        <div>
          <span className={`badge ${email.status === "queued" ? "badge-due" : ""}`} data-testid="outbox-row-status">
            {statusWords(t, email.status)}
          </span>
        </div>
      </td>
      <td>
        <span className="outbox-address" dir="ltr" data-testid="outbox-row-to">
          {email.to_address}
        </span>
      </td>
      <td className="outbox-email">
        <div className="outbox-subject" dir="auto" data-testid="outbox-row-subject">
          {email.subject}
        </div>
        {preview === null || preview.text === "" ? (
          <div className="muted small">{t("workflow.outbox.noBody")}</div>
        ) : (
          <>
            <div className="outbox-body" dir="auto" id={bodyId} data-testid="outbox-row-body">
              {whole || !preview.cut ? email.body : `${preview.text}…`}
            </div>
            {preview.cut && (
              <button
                type="button"
                className="link-button small"
                aria-expanded={whole}
                aria-controls={bodyId}
                data-testid="outbox-row-body-toggle"
                onClick={() => setWhole((w) => !w)}
              >
                {whole ? t("workflow.outbox.showLess") : t("workflow.outbox.showAll")}
              </button>
            )}
          </>
        )}
      </td>
      <td data-testid="outbox-row-rule">
        <RuleName ruleId={email.rule_id} rule={rule} canManage={canManage} onOpenRule={onOpenRule} />
      </td>
      <td data-testid="outbox-row-about">
        <About table={email.about_table} id={email.about_id} titles={titles} />
      </td>
    </tr>
  );
}

/** The rule that queued an email by name; who may change it opens it in the editor. */
function RuleName({ ruleId, rule, canManage, onOpenRule }: { ruleId: string | null; rule: RuleRow | undefined } & Props) {
  const { t } = useTranslation();
  if (ruleId === null) return <span className="muted">{t("workflow.outbox.noRule")}</span>;
  if (!rule) {
    // A rule no longer listed (or not yet read): its id, which the log can be searched by.
    return (
      <bdi dir="ltr" className="mono" title={ruleId}>
        {shortId(ruleId)}
      </bdi>
    );
  }
  const off = rule.archived_at !== null;
  return (
    <>
      {canManage && !off ? (
        <button
          type="button"
          className="link-button"
          data-testid="outbox-rule-open"
          aria-label={t("workflow.list.editOne", { name: rule.name })}
          onClick={() => onOpenRule(rule)}
        >
          <bdi>{rule.name}</bdi>
        </button>
      ) : (
        <bdi>{rule.name}</bdi>
      )}
      {off && (
        <>
          {" "}
          <span className="badge badge-retired">{t("workflow.list.switchedOff")}</span>
        </>
      )}
    </>
  );
}

/** The record an email is about: its kind, and its name (a customer's opens its card). */
function About({ table, id, titles }: { table: string | null; id: string | null; titles: Titles }) {
  const { t } = useTranslation();
  const openOrganisation = useOpenRecord("organisations");
  const openContact = useOpenRecord("contacts");
  if (table === null && id === null) return <span className="muted">{t("workflow.outbox.noRecord")}</span>;
  const hit = id ? titles.get(id) : undefined;
  const open = table === "organisations" ? openOrganisation : table === "contacts" ? openContact : null;
  return (
    <span className="outbox-about">
      {table !== null && (
        <span className="muted small outbox-about-kind">
          <TableLabel table={table} />
        </span>
      )}
      {table !== null && id !== null && " "}
      {id !== null &&
        (hit ? (
          open ? (
            <button
              type="button"
              className="link-button"
              data-testid="outbox-record-open"
              aria-label={t("workflow.outbox.openRecord", { name: hit.title })}
              onClick={() => void open(id)}
            >
              <bdi>{hit.title}</bdi>
            </button>
          ) : (
            <bdi>{hit.title}</bdi>
          )
        ) : (
          <bdi dir="ltr" className="mono" title={id}>
            {shortId(id)}
          </bdi>
        ))}
    </span>
  );
}

/** Whether an email still waits, in words; a state this build does not know by the core's word. */
function statusWords(t: TFunction, status: string): string {
  return status === "queued" ? t("workflow.outbox.status.queued") : status;
}

/** The first lines of a body; `cut` when there is more to it. */
export function bodyPreview(body: string): { text: string; cut: boolean } {
  const lines = body.trimEnd().split(/\r?\n/);
  let text = lines.slice(0, PREVIEW_LINES).join("\n");
  let cut = lines.length > PREVIEW_LINES;
  if (text.length > PREVIEW_CHARS) {
    text = text.slice(0, PREVIEW_CHARS);
    cut = true;
  }
  if (cut) text = text.trimEnd();
  return { text, cut };
}
