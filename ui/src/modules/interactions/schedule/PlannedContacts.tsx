import { useTranslation } from "react-i18next";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { channelLabel } from "../../../shared/interactions/labels";
import { useLanguage } from "../../../shared/useLanguage";
import { ChannelIcon } from "../components/ChannelIcon";
import { usePlannedContacts, useScheduling } from "./useScheduling";

/** How many planned contacts the card shows before "and N more". */
const SHOWN = 5;

/**
 * A customer's planned contacts at the top of their card's interactions: the next few still to
 * happen, each opening its panel, and "Schedule contact" with them.
 */
export function PlannedContacts({ scope, onSchedule }: { scope: { organisationId: string; contactId: string | null }; onSchedule?: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { open } = useScheduling();
  const { data, error } = usePlannedContacts(scope.contactId ? { contact_id: scope.contactId } : { organisation_id: scope.organisationId });
  const planned = (data?.items ?? []).filter((s) => s.due_at !== null && s.archived_at === null);
  const shown = planned.slice(0, SHOWN);

  return (
    <section className="planned" data-testid="planned-contacts" aria-labelledby="planned-title">
      <div className="planned-head">
        <h3 id="planned-title" className="planned-title">
          {t("schedule.planned.title")}
        </h3>
        <span className="toolbar-spacer" />
        {onSchedule && (
          <button type="button" className="button" data-testid="planned-schedule" onClick={onSchedule}>
            {t("schedule.planned.schedule")}
          </button>
        )}
      </div>
      {error ? (
        <p className="muted" role="alert">
          {errorMessage(t, error)}
        </p>
      ) : data && planned.length === 0 ? (
        <p className="muted" data-testid="planned-empty">
          {t("schedule.planned.empty")}
        </p>
      ) : (
        <ul className="planned-list">
          {shown.map((s) => (
            <li key={s.id}>
              <button type="button" className="planned-item" data-testid="planned-item" data-id={s.id} onClick={() => open(s.id)}>
                <time className="planned-when" dateTime={s.due_at ?? undefined}>
                  {formatDateTime(s.due_at ?? s.starts_at, language)}
                </time>
                <span className="interaction-channel">
                  <ChannelIcon channel={s.channel} />
                  <span className="visually-hidden">{channelLabel(t, s.channel)}</span>
                </span>
                <bdi className="planned-topic">{s.topic}</bdi>
                {(s.contact_name ?? s.organisation_name) && <bdi className="muted">{s.contact_name ?? s.organisation_name}</bdi>}
                {s.recurrence !== null && (
                  <span className="calendar-event-repeat" role="img" aria-label={t("calendar.repeats")} title={t("calendar.repeats")}>
                    ↻
                  </span>
                )}
              </button>
            </li>
          ))}
          {planned.length > SHOWN && <li className="muted">{t("schedule.planned.more", { count: planned.length - SHOWN, n: formatNumber(planned.length - SHOWN, language) })}</li>}
        </ul>
      )}
    </section>
  );
}
