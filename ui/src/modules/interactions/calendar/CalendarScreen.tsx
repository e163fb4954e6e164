import { useMemo, useState, type KeyboardEvent } from "react";
import { Calendar, type EventProps, type SlotInfo, type View } from "react-big-calendar";
import withDragAndDropImport, { type EventInteractionArgs } from "react-big-calendar/lib/addons/dragAndDrop";
import "react-big-calendar/lib/css/react-big-calendar.css";
import "react-big-calendar/lib/addons/dragAndDrop/styles.css";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { directionOf } from "../../../i18n";
import { errorMessage } from "../../../shared/errors";
import { formatNumber } from "../../../shared/format";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { Field } from "../../../shared/ui/Field";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canLogInteractions, canSeeTeam } from "../access";
import { ChannelIcon } from "../components/ChannelIcon";
import { useRefreshInteractions } from "../hooks/useInteractions";
import { useOccurrences, useScheduling } from "../schedule/useScheduling";
import { moveFieldError } from "../schedule/words";
import { canMove, minutesBetween, toEvents, type CalendarEvent } from "./events";
import { ExportCalendarButton } from "./ExportCalendarButton";
import { AGENDA_DAYS, calendarLocalizer, visibleRange } from "./localizer";

type WithDragAndDrop = typeof withDragAndDropImport;
/**
 * The drag-and-drop addon is CommonJS: the production build hands a default import its module
 * object (`{ default }`) where the tests' loader hands the function itself.
 */
const withDragAndDrop: WithDragAndDrop =
  typeof withDragAndDropImport === "function"
    ? withDragAndDropImport
    : (withDragAndDropImport as unknown as { default: WithDragAndDrop }).default;

const DnDCalendar = withDragAndDrop<CalendarEvent>(Calendar);

const VIEWS = ["day", "week", "month", "agenda"] as const satisfies readonly View[];
type CalendarView = (typeof VIEWS)[number];

/** Whose calendar: one's own, the team's (everyone in reach) or a colleague's (their id). */
export type Person = "me" | "team" | string;

type Move = { event: CalendarEvent; start: Date; end: Date; resized: boolean };

/**
 * Scheduled contacts in a calendar (COMM-3): day, week, month and agenda, in the window's language
 * and calendar (Solar Hijri in Persian). One's own by default; managers and executives may look at
 * the team's or a colleague's. A contact opens its panel; dragging or resizing one moves it (a
 * repeating one's occurrence only, after asking); choosing an empty time plans a new one there.
 */
export function CalendarScreen() {
  const { t } = useTranslation();
  const language = useLanguage();
  const me = useSession().status.user;
  const team = canSeeTeam(me);
  const canWrite = canLogInteractions(me);
  const { data: directory } = useColleagues(team);
  // Fixed when the screen opens, so the view does not jump while it is used.
  const [openingTime] = useState(() => openingTimeOf(new Date()));
  const { schedule, open } = useScheduling();
  const refresh = useRefreshInteractions();
  const localizer = calendarLocalizer(language);
  const [view, setView] = useState<CalendarView>("week");
  const [date, setDate] = useState(() => new Date());
  const [person, setPerson] = useState<Person>("me");
  const [move, setMove] = useState<Move | null>(null);
  const [moveError, setMoveError] = useState<ApiError | null>(null);
  const moving = useMutation("interactions.move_occurrence");

  const responsibleId = person === "me" ? me?.id : person === "team" ? undefined : person;
  const range = visibleRange(view, date, localizer);
  const input = { from: range.from.toISOString(), to: range.to.toISOString(), ...(responsibleId ? { responsible_id: responsibleId } : {}) };
  const { data, error, isFetching, refetch } = useOccurrences(input);
  const someone = t("interactions.history.outOfReach");
  const events = useMemo(() => toEvents(data?.items ?? [], someone), [data, someone]);
  const colleagues = (directory?.users ?? []).filter((u) => u.id !== me?.id).sort((a, b) => a.display_name.localeCompare(b.display_name, language));
  const personName = person === "me" ? (me?.display_name ?? "") : person === "team" ? t("calendar.team") : ((directory && colleagueName(directory, person)) ?? "");

  const step = (direction: 1 | -1) => {
    if (view === "month") setDate(localizer.add(date, direction, "month"));
    else if (view === "week") setDate(localizer.add(date, 7 * direction, "day"));
    else if (view === "day") setDate(localizer.add(date, direction, "day"));
    else setDate(localizer.add(date, AGENDA_DAYS * direction, "day"));
  };

  const title = (() => {
    const f = localizer.formats;
    const last = localizer.add(range.to, -1, "day");
    const call = (format: unknown, value: unknown) => (typeof format === "function" ? String(format(value, language, localizer)) : "");
    if (view === "month") return call(f.monthHeaderFormat, date);
    if (view === "day") return call(f.dayHeaderFormat, date);
    if (view === "week") return call(f.dayRangeHeaderFormat, { start: range.from, end: last });
    return call(f.agendaHeaderFormat, { start: range.from, end: last });
  })();

  async function runMove(next: Move) {
    const o = next.event.occurrence;
    try {
      await moving.run({
        id: o.scheduled_id,
        version: o.version,
        occurrence: o.starts_at,
        to: next.start.toISOString(),
        ...(next.resized ? { duration_minutes: minutesBetween(next.start, next.end) } : {}),
      });
      setMoveError(null);
      setMove(null);
      void refresh();
    } catch (e) {
      setMove(null);
      setMoveError(e as ApiError);
      void refetch();
    }
  }

  /** Dropped or resized: a repeating contact's occurrence moves only once the person agrees. */
  function requestMove(args: EventInteractionArgs<CalendarEvent>, resized: boolean) {
    const next: Move = { event: args.event, start: new Date(args.start), end: new Date(args.end), resized };
    const unchanged = next.start.getTime() === next.event.start.getTime() && next.end.getTime() === next.event.end.getTime();
    if (!canMove(next.event) || unchanged) return;
    setMoveError(null);
    if (next.event.occurrence.recurring) setMove(next);
    else void runMove(next);
  }

  function selectSlot(slot: SlotInfo) {
    if (!schedule) return;
    const allDay = view === "month" || slot.slots.length === 1 && minutesBetween(slot.start, slot.end) >= 24 * 60;
    schedule({ start: slot.start, minutes: minutesBetween(slot.start, slot.end), allDay });
  }

  const messages = useMemo(
    () => ({
      date: t("calendar.messages.date"),
      time: t("calendar.messages.time"),
      event: t("calendar.messages.event"),
      allDay: t("calendar.messages.allDay"),
      noEventsInRange: t("calendar.messages.noEvents"),
      showMore: (count: number) => t("calendar.messages.showMore", { count, n: formatNumber(count, language) }),
      today: t("calendar.today"),
      previous: t("calendar.previous"),
      next: t("calendar.next"),
      day: t("calendar.views.day"),
      week: t("calendar.views.week"),
      month: t("calendar.views.month"),
      agenda: t("calendar.views.agenda"),
    }),
    [t, language],
  );

  return (
    <div className="page calendar-page" data-testid="calendar-screen">
      <div className="panel calendar-panel">
        <header className="panel-header">
          <h1 className="screen-title">{person === "me" ? t("calendar.title") : t("calendar.titleOf", { name: personName })}</h1>
          <span className="toolbar-spacer" />
          {schedule && (
            <button type="button" className="button" data-testid="calendar-schedule" onClick={() => schedule()}>
              {t("calendar.schedule")}
            </button>
          )}
        </header>
        <div className="calendar-toolbar" role="toolbar" aria-label={t("calendar.toolbar")}>
          <div className="calendar-nav">
            <button type="button" className="button" data-testid="calendar-today" onClick={() => setDate(new Date())}>
              {t("calendar.today")}
            </button>
            <button type="button" className="button" data-testid="calendar-back" aria-label={t("calendar.previous")} onClick={() => step(-1)}>
              <span aria-hidden="true">{directionOf(language) === "rtl" ? "›" : "‹"}</span>
            </button>
            <button type="button" className="button" data-testid="calendar-next" aria-label={t("calendar.next")} onClick={() => step(1)}>
              <span aria-hidden="true">{directionOf(language) === "rtl" ? "‹" : "›"}</span>
            </button>
            <h2 className="calendar-title" data-testid="calendar-title" aria-live="polite">
              {title}
            </h2>
          </div>
          <span className="toolbar-spacer" />
          <div className="segmented" role="group" aria-label={t("calendar.view")}>
            {VIEWS.map((v) => (
              <button key={v} type="button" className="segment" aria-pressed={view === v} data-testid={`calendar-view-${v}`} onClick={() => setView(v)}>
                {t(`calendar.views.${v}`)}
              </button>
            ))}
          </div>
          {team && me && (
            <Field label={t("calendar.whose")} className="calendar-person">
              {(control) => (
                <select {...control} className="input select-compact" data-testid="calendar-person" value={person} onChange={(e) => setPerson(e.target.value)}>
                  <option value="me">{t("calendar.mine")}</option>
                  <option value="team">{t("calendar.team")}</option>
                  {colleagues.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.active ? u.display_name : t("interactions.screen.deactivated", { name: u.display_name })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <ExportCalendarButton personName={personName} responsibleId={responsibleId} />
        </div>
        {error && (
          <div className="banner banner-error" role="alert" data-testid="calendar-error">
            <p>{errorMessage(t, error)}</p>
            <button type="button" className="button" onClick={() => void refetch()}>
              {t("app.retry")}
            </button>
          </div>
        )}
        {moveError && (
          <div className="banner banner-error" role="alert" data-testid="calendar-move-error">
            <p>{t("calendar.moveFailed")}</p>
            {Object.entries(moveError.fields).length > 0 ? (
              <ul>
                {Object.entries(moveError.fields).map(([field, fe]) => (
                  <li key={field} data-testid={`calendar-move-error-${field}`}>
                    {moveFieldError(t, field, fe)}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{errorMessage(t, moveError)}</p>
            )}
          </div>
        )}
        <div className="calendar-view" aria-busy={isFetching || undefined} dir={directionOf(language)}>
          <DnDCalendar
            localizer={localizer}
            culture={language}
            rtl={directionOf(language) === "rtl"}
            events={events}
            view={view}
            onView={(v) => setView(v as CalendarView)}
            views={[...VIEWS]}
            date={date}
            onNavigate={(d) => setDate(d)}
            toolbar={false}
            length={AGENDA_DAYS}
            messages={messages}
            popup
            step={15}
            timeslots={4}
            scrollToTime={openingTime}
            selectable={canWrite && schedule !== null}
            onSelectSlot={selectSlot}
            onSelectEvent={(event) => open(event.occurrence.scheduled_id)}
            onKeyPressEvent={(event, e) => {
              // react-big-calendar passes the event's keydown: Enter or Space opens it, as a click does.
              const key = (e as KeyboardEvent<HTMLElement>).key;
              if (key === "Enter" || key === " ") {
                e.preventDefault();
                open(event.occurrence.scheduled_id);
              }
            }}
            draggableAccessor={(event) => canWrite && canMove(event)}
            resizableAccessor={(event) => canWrite && canMove(event)}
            onEventDrop={(args) => requestMove(args, false)}
            onEventResize={(args) => requestMove(args, true)}
            eventPropGetter={(event) => ({ className: `calendar-event-${event.occurrence.state}` })}
            components={{ event: EventContent }}
          />
        </div>
      </div>
      {move && (
        <ConfirmDialog
          title={t("calendar.moveTitle")}
          body={t("calendar.moveBody")}
          confirmLabel={t("calendar.moveConfirm")}
          busy={moving.pending}
          onConfirm={() => void runMove(move)}
          onCancel={() => setMove(null)}
          testIds={{ dialog: "calendar-move-confirm", confirm: "calendar-move-ok", cancel: "calendar-move-cancel" }}
        />
      )}
    </div>
  );
}

/**
 * Where a day or week view opens: an hour before now during the working day (so what is next
 * is in sight), 08:00 otherwise.
 */
function openingTimeOf(now: Date): Date {
  const hour = now.getHours();
  return new Date(1970, 0, 1, hour >= 9 && hour <= 20 ? hour - 1 : 8);
}

/** An occurrence in the calendar: its channel's glyph, its title, and a mark when it repeats. */
function EventContent({ event }: EventProps<CalendarEvent>) {
  const { t } = useTranslation();
  const o = event.occurrence;
  return (
    <span className="calendar-event" data-testid="calendar-event" data-id={o.scheduled_id} data-state={o.state}>
      <ChannelIcon channel={o.channel} />
      <bdi className="calendar-event-title">{event.title}</bdi>
      {o.recurring && (
        <span className="calendar-event-repeat" role="img" aria-label={t("calendar.repeats")} title={t("calendar.repeats")}>
          ↻
        </span>
      )}
      {o.state === "done" && <span className="visually-hidden">{t("calendar.states.done")}</span>}
    </span>
  );
}
