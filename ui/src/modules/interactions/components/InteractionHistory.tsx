import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, InteractionChannel, InteractionRow, InteractionTopic } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import type { NamedRecord } from "../../../shared/interactions/InteractionsSlot";
import { CHANNELS, channelLabel, formLabel } from "../../../shared/interactions/labels";
import { useTopics } from "../../../shared/interactions/useTopics";
import { shortId } from "../../../shared/labels";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { RowAction } from "../../../shared/ui/RowAction";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useDebouncedValue } from "../../../shared/useDebouncedValue";
import { useLanguage } from "../../../shared/useLanguage";
import { canReadAttachments } from "../../attachments/access";
import { AttachmentsPanel } from "../../attachments/components/AttachmentsPanel";
import { PaperclipIcon } from "../../attachments/components/PaperclipIcon";
import { useSession } from "../../session/hooks/useSession";
import { canArchiveInteractions } from "../access";
import { useInteractionHistory, useRefreshInteractions } from "../hooks/useInteractions";
import { useLogInteraction } from "../hooks/useLogInteraction";
import { periodError } from "../labels";
import { historyInput, isFiltered, isLongSummary, NO_FILTER, type HistoryFilter, type HistoryScope } from "../model";
import { ChannelIcon } from "./ChannelIcon";

/** The words of the summary are looked for once typing pauses this long. */
export const TEXT_DEBOUNCE_MS = 300;

type Props = {
  scope: HistoryScope;
  /** An organisation's history may be narrowed to one of its people: those offered, and who is chosen. */
  people?: { options: readonly NamedRecord[]; value: string | null; onChange: (contactId: string | null) => void };
  /** Each row names its customer as a link to the customer's card (the employee's history). */
  onOpenCustomer?: (row: InteractionRow) => void;
  /** Said when there are no interactions at all. */
  emptyText: string;
};

type StatusChange = { action: "archive" | "restore"; row: InteractionRow };

/**
 * A history of interactions, newest first, a page at a time ("Load older"): narrowed by channel,
 * topic, period (calendar days, both included) and words of the summary (looked for as typing
 * pauses), or the archived ones. Each row says when, how, what about, with whom, who answered for
 * it and what was said (long summaries cut, shown whole on request), and may be corrected,
 * archived or restored by who may.
 */
export function InteractionHistory({ scope, people, onOpenCustomer, emptyText }: Props) {
  const { t } = useTranslation();
  const user = useSession().status.user;
  const canArchive = canArchiveInteractions(user);
  const canSeeFiles = canReadAttachments(user);
  const { edit } = useLogInteraction();
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const text = useDebouncedValue(filter.text, TEXT_DEBOUNCE_MS);
  const history = useInteractionHistory(historyInput(scope, { ...filter, text }));
  const topics = useTopics();
  const [statusChange, setStatusChange] = useState<StatusChange | null>(null);
  const rows = history.rows;
  const toError = history.error?.fields.to;

  function change<K extends keyof HistoryFilter>(key: K, value: HistoryFilter[K]) {
    setFilter((prev) => ({ ...prev, [key]: value }));
  }

  return (
    <div className="interaction-history-list">
      <div className="interaction-filters" role="group" aria-label={t("interactions.history.filters")}>
        {people && (
          <Field label={t("interactions.history.contact")}>
            {(control) => (
              <select
                {...control}
                className="input select-compact"
                data-testid="interaction-filter-contact"
                value={people.value ?? ""}
                onChange={(e) => people.onChange(e.target.value === "" ? null : e.target.value)}
              >
                <option value="">{t("interactions.history.everyone")}</option>
                {people.options.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t("interactions.history.channel")}>
          {(control) => (
            <select
              {...control}
              className="input select-compact"
              data-testid="interaction-filter-channel"
              value={filter.channel}
              onChange={(e) => change("channel", e.target.value as InteractionChannel | "")}
            >
              <option value="">{t("interactions.history.allChannels")}</option>
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {channelLabel(t, channel)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("interactions.history.topic")}>
          {(control) => (
            <select
              {...control}
              className="input select-compact"
              data-testid="interaction-filter-topic"
              value={filter.topicId}
              onChange={(e) => change("topicId", e.target.value)}
            >
              <option value="">{t("interactions.history.allTopics")}</option>
              {topics.all.map((topic) => (
                <option key={topic.id} value={topic.id}>
                  {topicName(t, topic)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("interactions.history.from")}>
          {(control) => (
            <input {...control} type="date" className="input" data-testid="interaction-filter-from" value={filter.from} onChange={(e) => change("from", e.target.value)} />
          )}
        </Field>
        <Field label={t("interactions.history.to")} error={toError ? periodError(t, toError) : undefined} errorTestId="interaction-filter-error-to">
          {(control) => (
            <input {...control} type="date" className="input" data-testid="interaction-filter-to" value={filter.to} onChange={(e) => change("to", e.target.value)} />
          )}
        </Field>
        <Field label={t("interactions.history.search")} className="interaction-filter-text">
          {(control) => (
            <input
              {...control}
              type="search"
              className="input"
              data-testid="interaction-filter-text"
              dir="auto"
              placeholder={t("interactions.history.searchPlaceholder")}
              value={filter.text}
              onChange={(e) => change("text", e.target.value)}
            />
          )}
        </Field>
        <label className="checkbox interaction-filter-archived">
          <input type="checkbox" data-testid="interactions-show-archived" checked={filter.archived} onChange={(e) => change("archived", e.target.checked)} />
          {t("interactions.history.showArchived")}
        </label>
      </div>

      {history.error && !toError && (
        <div className="banner banner-error" role="alert" data-testid="interactions-error">
          <p>{errorMessage(t, history.error)}</p>
          <button type="button" className="button" onClick={history.retry}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {rows === undefined ? (
        !history.error && <p className="muted">{t("app.loading")}</p>
      ) : rows.length === 0 ? (
        <p className="empty" data-testid="interactions-empty">
          {filter.archived ? t("interactions.history.emptyArchived") : isFiltered({ ...filter, text }) ? t("interactions.history.emptyFiltered") : emptyText}
        </p>
      ) : (
        <ol className="interaction-list" aria-busy={history.stale || undefined}>
          {rows.map((row) => (
            <InteractionItem
              key={row.id}
              row={row}
              topic={topics.byId.get(row.topic_id)}
              onOpenCustomer={onOpenCustomer}
              onEdit={edit && row.archived_at === null ? () => edit(row) : undefined}
              onStatusChange={canArchive ? (action) => setStatusChange({ action, row }) : undefined}
              withFiles={canSeeFiles}
            />
          ))}
        </ol>
      )}
      {rows !== undefined && history.hasOlder && (
        <div className="interaction-more">
          <button
            type="button"
            className="button"
            data-testid="interactions-more"
            aria-disabled={history.loadingOlder || undefined}
            onClick={() => {
              if (!history.loadingOlder) history.loadOlder();
            }}
          >
            {history.loadingOlder ? t("app.loading") : t("interactions.history.more")}
          </button>
        </div>
      )}
      {statusChange && <StatusDialog change={statusChange} onDone={() => setStatusChange(null)} />}
    </div>
  );
}

function topicName(t: TFunction, topic: InteractionTopic): string {
  return topic.archived_at === null ? topic.name : t("interactions.history.retiredTopic", { name: topic.name });
}

type ItemProps = {
  row: InteractionRow;
  topic: InteractionTopic | undefined;
  onOpenCustomer?: (row: InteractionRow) => void;
  onEdit?: () => void;
  onStatusChange?: (action: StatusChange["action"]) => void;
  /** Whether its attached files may be shown (under the row, on request). */
  withFiles: boolean;
};

/**
 * One interaction: when, channel and form, topic, with whom, who answered for it, then what was
 * said; its attached files under it on request.
 */
function InteractionItem({ row, topic, onOpenCustomer, onEdit, onStatusChange, withFiles }: ItemProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const me = useSession().status.user;
  const { data: directory } = useColleagues();
  const [expanded, setExpanded] = useState(false);
  const [filesShown, setFilesShown] = useState(false);
  const when = formatDateTime(row.happened_at, language);
  const long = isLongSummary(row.summary);
  const archived = row.archived_at !== null;
  const responsible =
    (directory ? colleagueName(directory, row.responsible_id) : undefined) ?? (row.responsible_id === me?.id ? me.display_name : shortId(row.responsible_id));
  const whom = row.contact_name ?? row.organisation_name;
  const customer = onOpenCustomer && whom !== null && (row.organisation_id !== null || row.contact_id !== null);

  return (
    <li className={archived ? "interaction interaction-archived" : "interaction"} data-testid="interaction-row" data-id={row.id}>
      <div className="interaction-head">
        <time className="interaction-when" dateTime={row.happened_at}>
          {when}
        </time>
        <span className="interaction-channel" data-testid="interaction-row-channel">
          <ChannelIcon channel={row.channel} />
          {channelLabel(t, row.channel)}
        </span>
        <span className="muted" data-testid="interaction-row-form">
          {formLabel(t, row.form)}
        </span>
        <bdi className="badge interaction-topic" data-testid="interaction-row-topic">
          {topic ? topicName(t, topic) : "…"}
        </bdi>
        {archived && <span className="badge badge-archived">{t("interactions.history.archived")}</span>}
        <span className="toolbar-spacer" />
        <span className="row-actions">
          {withFiles && (
            <RowAction testId="interaction-files" label={t("interactions.history.filesOne", { date: when })} expanded={filesShown} onClick={() => setFilesShown(!filesShown)}>
              <span className="interaction-files-toggle">
                <PaperclipIcon />
                {t("interactions.history.files")}
              </span>
            </RowAction>
          )}
          {onEdit && (
            <RowAction testId="interaction-edit" label={t("interactions.history.editOne", { date: when })} onClick={onEdit}>
              {t("interactions.history.edit")}
            </RowAction>
          )}
          {onStatusChange &&
            (archived ? (
              <RowAction testId="interaction-restore" label={t("interactions.history.restoreOne", { date: when })} onClick={() => onStatusChange("restore")}>
                {t("interactions.history.restore")}
              </RowAction>
            ) : (
              <RowAction testId="interaction-archive" label={t("interactions.history.archiveOne", { date: when })} onClick={() => onStatusChange("archive")}>
                {t("interactions.history.archive")}
              </RowAction>
            ))}
        </span>
      </div>
      <div className="interaction-meta muted">
        <span data-testid="interaction-row-with">
          {t("interactions.history.with")}{" "}
          {whom === null ? (
            <span>{t("interactions.history.outOfReach")}</span>
          ) : customer ? (
            <button type="button" className="link-button" data-testid="interaction-open" aria-description={t("interactions.history.opensCard")} onClick={() => onOpenCustomer(row)}>
              <bdi>{whom}</bdi>
            </button>
          ) : (
            <bdi>{whom}</bdi>
          )}
          {onOpenCustomer && row.contact_name !== null && row.organisation_name !== null && (
            <>
              {" "}
              <bdi>({row.organisation_name})</bdi>
            </>
          )}
        </span>
        <span data-testid="interaction-row-responsible">
          {t("interactions.history.responsible")} <bdi>{responsible}</bdi>
        </span>
      </div>
      <p className={long && !expanded ? "interaction-summary interaction-summary-cut" : "interaction-summary"} dir="auto" data-testid="interaction-row-summary">
        {row.summary}
      </p>
      {long && (
        <button type="button" className="link-button interaction-expand" data-testid="interaction-expand" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t("interactions.history.showLess") : t("interactions.history.showMore")}
        </button>
      )}
      {withFiles && filesShown && (
        <div className="interaction-files">
          {/* An archived interaction takes no files: its own are listed and saved only. */}
          <AttachmentsPanel table="interactions" recordId={row.id} readOnly={archived} />
        </div>
      )}
    </li>
  );
}

/** Asks before archiving or restoring an interaction, at the version its row was read with. */
function StatusDialog({ change, onDone }: { change: StatusChange; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshInteractions();
  const archive = useMutation("interactions.archive");
  const restore = useMutation("interactions.restore");
  const mutation = change.action === "archive" ? archive : restore;
  const [error, setError] = useState<ApiError | null>(null);

  async function confirm() {
    if (mutation.pending) return;
    try {
      await mutation.run({ id: change.row.id, version: change.row.version });
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
    // Either way the histories are read again: a refusal for a changed version shows the change.
    void refresh();
  }

  return (
    <ConfirmDialog
      title={change.action === "archive" ? t("interactions.history.archiveTitle") : t("interactions.history.restoreTitle")}
      body={change.action === "archive" ? t("interactions.history.archiveBody") : t("interactions.history.restoreBody")}
      confirmLabel={change.action === "archive" ? t("interactions.history.archive") : t("interactions.history.restore")}
      danger={change.action === "archive"}
      busy={mutation.pending}
      error={error ? errorMessage(t, error) : null}
      onConfirm={() => void confirm()}
      onCancel={onDone}
      testIds={{ dialog: "interaction-status-dialog", confirm: "interaction-status-confirm", cancel: "interaction-status-cancel" }}
    />
  );
}
