import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { CustomField, HistoryEntry, HistoryTable } from "../../api/generated";
import type { Language } from "../../i18n";
import { customValueText } from "../customFields/CustomFieldValues";
import { useCustomFields, useFieldLabel } from "../customFields/useCustomFields";
import { customFieldName, customKeyOf, linkedIds } from "../customFields/values";
import { errorMessage } from "../errors";
import { formatDateTime, formatNumber } from "../format";
import { channelLabel, formLabel, isChannel, isForm } from "../interactions/labels";
import { kindLabel, shortId } from "../labels";
import { useRecordTitles, type Titles } from "../search/useRecordTitles";
import { Phone } from "../ui/Phone";
import { useLanguage } from "../useLanguage";
import { useRecordHistory } from "./useRecordHistory";

const DATE_FIELDS = new Set(["created_at", "updated_at", "archived_at", "happened_at"]);

/** The built-in local owner: the person at this computer, until users and sign-in exist. */
export const LOCAL_OWNER_ID = "00000000-0000-7000-8000-000000000001";

/**
 * Who made a change, in words: a user of this database by their name (the id in `title`), the
 * local owner as "you", anyone else (a user of another database, say) as a short id.
 */
export function actorLabel(t: TFunction, actorId: string, actorName?: string): { text: string; title?: string } {
  if (actorName) return { text: actorName, title: actorId };
  if (actorId.toLowerCase() === LOCAL_OWNER_ID) return { text: t("history.localOwner") };
  return { text: shortId(actorId), title: actorId };
}

function Actor({ t, id, name }: { t: TFunction; id: string; name?: string }) {
  const { text, title } = actorLabel(t, id, name);
  // A bare id reads left to right; a name takes its own direction.
  const isBareId = title !== undefined && !name;
  return (
    <bdi data-testid="history-actor" title={title} dir={isBareId ? "ltr" : undefined}>
      {text}
    </bdi>
  );
}

/** A changed value in words: empty, a translated kind, a date, a number or the text itself. */
function formatValue(t: TFunction, language: Language, field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return t("history.empty");
  if (field === "kind" && typeof value === "string") {
    const kind = kindLabel(t, value);
    if (kind !== null) return kind;
  }
  // An interaction's channel and form.
  if (field === "channel" && isChannel(value)) return channelLabel(t, value);
  if (field === "form" && isForm(value)) return formLabel(t, value);
  if (typeof value === "boolean") return value ? t("history.yes") : t("history.no");
  if (typeof value === "number") return formatNumber(value, language);
  if (typeof value === "string") return DATE_FIELDS.has(field) ? formatDateTime(value, language) : value;
  return JSON.stringify(value);
}

/** The custom fields of a kind by the names history gives their values (`custom.<key>`). */
type CustomByName = ReadonlyMap<string, CustomField>;

type ValueProps = { t: TFunction; language: Language; field: string; value: unknown; custom: CustomByName; titles: Titles };

/**
 * An old or new value: a phone as one (left to right), a custom value as its field's kind says
 * (a choice's label, a date, a linked record's name), anything else in words, isolated.
 */
function ChangedValue({ t, language, field, value, custom, titles }: ValueProps) {
  if (field === "phone" && typeof value === "string" && value !== "") return <Phone value={value} />;
  const customField = custom.get(field);
  if (customField) return <bdi>{customValueText(t, language, customField, value, titles) ?? t("history.empty")}</bdi>;
  return <bdi>{formatValue(t, language, field, value)}</bdi>;
}

/** The values of link fields an entry names, old and new. */
function linkValues(entries: readonly HistoryEntry[], custom: CustomByName): string[] {
  const fields = [...custom.values()];
  const records = entries.flatMap((entry) =>
    entry.fields.flatMap((f) => {
      const key = customKeyOf(f.field);
      return key === null ? [] : [{ [key]: f.old }, { [key]: f.new }];
    }),
  );
  return linkedIds(fields, records);
}

export function HistorySection({ table, id }: { table: HistoryTable; id: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { entries, error, reload } = useRecordHistory(table, id, true);
  // Retired fields too: their values' history stays.
  const { fields } = useCustomFields(table, { includeRetired: true });
  const fieldLabel = useFieldLabel(table);
  const custom: CustomByName = new Map(fields.map((f) => [customFieldName(f.key), f]));
  const titles = useRecordTitles(entries ? linkValues(entries, custom) : []);

  if (error)
    return (
      <p className="status-error">
        {errorMessage(t, error)}{" "}
        <button type="button" className="link-button" onClick={reload}>
          {t("app.retry")}
        </button>
      </p>
    );
  if (!entries) return <p className="muted">{t("app.loading")}</p>;
  if (entries.length === 0) return <p className="empty">{t("history.noChanges")}</p>;

  return (
    <ol className="history">
      {entries.map((entry) => (
        <li key={`${entry.device_id}-${entry.stamp}`} className="history-entry" data-testid="history-entry">
          <div className="history-head">
            <span className={`badge badge-action-${entry.action}`}>{t(`history.actions.${entry.action}`)}</span>
            <time dateTime={entry.at}>{formatDateTime(entry.at, language)}</time>
            <span className="muted">
              {t("history.who")}: <Actor t={t} id={entry.actor_id} name={entry.actor_name} />
            </span>
          </div>
          {entry.fields.length > 0 && (
            <table className="history-fields">
              <tbody>
                {entry.fields.map((f) => (
                  <tr key={f.field}>
                    <th scope="row">{fieldLabel(f.field)}</th>
                    <td className="history-old">
                      <ChangedValue t={t} language={language} field={f.field} value={f.old} custom={custom} titles={titles} />
                    </td>
                    <td className="history-arrow" aria-hidden="true">
                      →
                    </td>
                    <td>
                      <ChangedValue t={t} language={language} field={f.field} value={f.new} custom={custom} titles={titles} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
    </ol>
  );
}
