import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../api/ApiProvider";
import type { SearchHit } from "../api/generated";
import { currentLanguage, LANGUAGES, setLanguage, type Language } from "../i18n";
import { useSession } from "../modules/session/hooks/useSession";
import { canFindDuplicates } from "../modules/duplicates/access";
import { canSeeFreshness } from "../modules/freshness/access";
import { canRunImports } from "../modules/imports/access";
import { useLogInteraction } from "../modules/interactions/hooks/useLogInteraction";
import { hitMoment } from "../modules/interactions/model";
import { useScheduling } from "../modules/interactions/schedule/useScheduling";
import { canReadInteractions } from "../modules/interactions/access";
import { canReadSegments } from "../modules/segments/access";
import { canResolveConflicts } from "../modules/sync/access";
import { canReadTasks } from "../modules/tasks/access";
import { useTaskDialogs } from "../modules/tasks/hooks/useTasks";
import { errorMessage } from "../shared/errors";
import { formatDateTime } from "../shared/format";
import { useSearch } from "../shared/search/useSearch";
import { TextOrPhone } from "../shared/ui/Phone";
import { useLanguage } from "../shared/useLanguage";
import { useNavigation } from "./navigation";

type Item =
  | { type: "hit"; hit: SearchHit }
  | {
      type: "command";
      id: "new" | "logInteraction" | "scheduleContact" | "calendar" | "newTask" | "tasks" | "language" | "settings" | "conflicts" | "duplicates" | "segments" | "imports" | "freshness";
      label: string;
    }
  | { type: "language"; language: Language; label: string };

/** Ctrl+K: find any record as you type, or run a command. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigation();
  const client = useClient();
  const { status } = useSession();
  const language = useLanguage();
  const { log: logInteraction } = useLogInteraction();
  const { schedule: scheduleContact } = useScheduling();
  const { create: createTask, open: openTask } = useTaskDialogs();
  const [text, setText] = useState("");
  const [mode, setMode] = useState<"main" | "language">("main");
  const [selected, setSelected] = useState(0);
  const listId = useId();
  const search = useSearch(mode === "main" ? text : "", { limit: 20 });

  const query = text.trim().toLocaleLowerCase();
  let items: Item[];
  if (mode === "language") {
    items = LANGUAGES.map((language) => ({ type: "language", language, label: t(`languages.${language}`) }));
  } else {
    const commands: Item[] = [
      { type: "command", id: "new", label: t("palette.newOrganisation") },
      ...(logInteraction ? [{ type: "command", id: "logInteraction", label: t("palette.logInteraction") } as const] : []),
      ...(scheduleContact ? [{ type: "command", id: "scheduleContact", label: t("palette.scheduleContact") } as const] : []),
      ...(canReadInteractions(status.user) ? [{ type: "command", id: "calendar", label: t("palette.calendar") } as const] : []),
      ...(createTask ? [{ type: "command", id: "newTask", label: t("palette.newTask") } as const] : []),
      ...(canReadTasks(status.user) ? [{ type: "command", id: "tasks", label: t("palette.tasks") } as const] : []),
      { type: "command", id: "language", label: t("palette.switchLanguage") },
      { type: "command", id: "settings", label: t("palette.settings") },
      ...(canResolveConflicts(status.user) ? [{ type: "command", id: "conflicts", label: t("palette.conflicts") } as const] : []),
      ...(canFindDuplicates(status.user) ? [{ type: "command", id: "duplicates", label: t("palette.duplicates") } as const] : []),
      ...(canReadSegments(status.user) ? [{ type: "command", id: "segments", label: t("palette.segments") } as const] : []),
      ...(canRunImports(status.user) ? [{ type: "command", id: "imports", label: t("palette.imports") } as const] : []),
      ...(canSeeFreshness(status.user) ? [{ type: "command", id: "freshness", label: t("palette.freshness") } as const] : []),
    ];
    const matching = commands.filter((c) => c.type === "command" && c.label.toLocaleLowerCase().includes(query));
    items = [...search.hits.map((hit): Item => ({ type: "hit", hit })), ...matching];
  }
  const index = Math.min(selected, Math.max(items.length - 1, 0));

  async function choose(item: Item | undefined) {
    if (!item) return;
    if (item.type === "language") {
      await setLanguage(item.language);
      onClose();
    } else if (item.type === "command") {
      if (item.id === "language") {
        setMode("language");
        setSelected(LANGUAGES.indexOf(currentLanguage()));
        setText("");
        return;
      }
      onClose();
      if (item.id === "new") nav.newOrganisation();
      else if (item.id === "logInteraction") logInteraction?.();
      else if (item.id === "scheduleContact") scheduleContact?.();
      else if (item.id === "calendar") nav.openCalendar();
      else if (item.id === "newTask") createTask?.();
      else if (item.id === "tasks") nav.openTasks();
      else if (item.id === "conflicts") nav.openConflicts();
      else if (item.id === "duplicates") nav.openDuplicates();
      else if (item.id === "segments") nav.openSegments();
      else if (item.id === "imports") nav.openImports();
      else if (item.id === "freshness") nav.openFreshness();
      else nav.openSettings();
    } else if (item.hit.entity === "organisation") {
      onClose();
      nav.openOrganisation(item.hit.id);
    } else if (item.hit.entity === "task") {
      onClose();
      openTask?.(item.hit.id);
    } else if (item.hit.entity === "interaction") {
      // An interaction is shown on its customer's card: its organisation's, else its contact's organisation's.
      try {
        const interaction = await client.call("interactions.get", { id: item.hit.id });
        const organisationId =
          interaction.organisation_id ??
          (interaction.contact_id !== null ? (await client.call("customers.get_contact", { id: interaction.contact_id })).organisation_id : null);
        onClose();
        if (organisationId) nav.openOrganisation(organisationId, undefined, "interactions");
      } catch {
        onClose();
      }
    } else {
      // A contact opens the card of its organisation.
      try {
        const contact = await client.call("customers.get_contact", { id: item.hit.id });
        onClose();
        if (contact.organisation_id) nav.openOrganisation(contact.organisation_id);
      } catch {
        onClose();
      }
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (mode === "language") setMode("main");
      else onClose();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      setSelected(Math.min(index + 1, items.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setSelected(Math.max(index - 1, 0));
    } else if (e.key === "Enter" && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void choose(items[index]);
    }
  }

  const firstCommand = items.findIndex((i) => i.type !== "hit");
  const hitCount = firstCommand === -1 ? items.length : firstCommand;

  return (
    <div className="modal-backdrop palette-backdrop" onMouseDown={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label={t("palette.label")}
        data-testid="palette"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <input
          className="palette-input"
          data-testid="palette-input"
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={items.length > 0 ? `${listId}-${index}` : undefined}
          placeholder={mode === "language" ? t("palette.chooseLanguage") : t("palette.placeholder")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setSelected(0);
          }}
        />
        <ul className="palette-list" id={listId} role="listbox" aria-label={t("palette.label")}>
          {hitCount > 0 && (
            <li className="palette-group" role="presentation">
              {t("palette.records")}
            </li>
          )}
          {items.map((item, i) => {
            const isSelected = i === index;
            const common = {
              id: `${listId}-${i}`,
              role: "option",
              "aria-selected": isSelected,
              className: isSelected ? "palette-item selected" : "palette-item",
              onMouseEnter: () => setSelected(i),
              onClick: () => void choose(item),
            } as const;
            const group =
              i === firstCommand && item.type !== "language" ? (
                <li key="commands" className="palette-group" role="presentation">
                  {t("palette.commands")}
                </li>
              ) : null;
            if (item.type === "hit")
              return (
                <li key={`hit-${item.hit.entity}-${item.hit.id}`} {...common} data-testid="palette-hit" data-id={item.hit.id}>
                  <span className="palette-entity">{t(`palette.${item.hit.entity}`)}</span>
                  <span className="palette-title">{item.hit.title}</span>
                  {item.hit.subtitle && (
                    <span className="muted palette-subtitle">
                      <HitSubtitle hit={item.hit} language={language} />
                    </span>
                  )}
                  {item.hit.archived && <span className="badge badge-archived">{t("palette.archived")}</span>}
                </li>
              );
            const key = item.type === "command" ? `cmd-${item.id}` : `lang-${item.language}`;
            return [
              group,
              <li key={key} {...common} data-testid={item.type === "language" ? `palette-language-${item.language}` : `palette-command-${item.id}`}>
                <span className="palette-title" lang={item.type === "language" ? item.language : undefined}>
                  {item.label}
                </span>
              </li>,
            ];
          })}
        </ul>
        <div className="palette-footer muted">
          {search.error ? errorMessage(t, search.error) : search.pending ? t("palette.searching") : items.length === 0 ? t("palette.noResults") : t("palette.hint")}
        </div>
      </div>
    </div>
  );
}

/** A hit's subtitle: an interaction's time in the reader's time zone and language, a phone as one, other text as it is. */
function HitSubtitle({ hit, language }: { hit: SearchHit; language: Language }) {
  const moment = hit.entity === "interaction" ? hitMoment(hit.subtitle) : null;
  if (moment) return <time dateTime={moment.toISOString()}>{formatDateTime(moment, language)}</time>;
  return hit.subtitle ? <TextOrPhone text={hit.subtitle} /> : null;
}
