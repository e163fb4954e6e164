import { Suspense, lazy, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "../api/ApiProvider";
import { useLanguage } from "../shared/useLanguage";
import { adminTabsFor } from "../modules/admin/access";
import { AdminScreen } from "../modules/admin/components/AdminScreen";
import { CustomersScreen } from "../modules/customers/components/CustomersScreen";
import { canFindDuplicates } from "../modules/duplicates/access";
import { DuplicatesScreen } from "../modules/duplicates/components/DuplicatesScreen";
import { canSeeFreshness } from "../modules/freshness/access";
import { FreshnessBadge } from "../modules/freshness/components/FreshnessBadge";
import { FreshnessScreen } from "../modules/freshness/components/FreshnessScreen";
import { canRunImports } from "../modules/imports/access";
import { canReadInteractions } from "../modules/interactions/access";
import { InteractionsProvider } from "../modules/interactions/components/InteractionsProvider";
import { InteractionsScreen } from "../modules/interactions/components/InteractionsScreen";
import { ImportsScreen } from "../modules/imports/components/ImportsScreen";
import { OfflineBanner } from "../modules/offline/components/OfflineBanner";
import { useAutoSync } from "../modules/offline/hooks/useOffline";
import { canReadSegments } from "../modules/segments/access";
import { SegmentsScreen } from "../modules/segments/components/SegmentsScreen";
import { useSession } from "../modules/session/hooks/useSession";
import { SettingsScreen } from "../modules/settings/components/SettingsScreen";
import { canResolveConflicts } from "../modules/sync/access";
import { ConflictsBadge } from "../modules/sync/components/ConflictsBadge";
import { ConflictsScreen } from "../modules/sync/components/ConflictsScreen";
import { canReadTasks } from "../modules/tasks/access";
import { TasksBadge } from "../modules/tasks/components/TasksBadge";
import { TasksProvider } from "../modules/tasks/components/TasksProvider";
import { TasksScreen } from "../modules/tasks/components/TasksScreen";
import { CommandPalette } from "./CommandPalette";
import { ScreenErrorBoundary } from "./ScreenErrorBoundary";
import { useNavigation } from "./navigation";
import { MATCH, useShortcut } from "./shortcuts";

// The calendar component is most of the window's code by size: loaded when the calendar is opened.
const CalendarScreen = lazy(() =>
  import("../modules/interactions/calendar/CalendarScreen").then((module) => ({ default: module.CalendarScreen })),
);

const COMING_SOON = ["sales", "service", "quality", "analytics"] as const;

export function AppFrame() {
  const { t } = useTranslation();
  const nav = useNavigation();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const { route } = nav;
  const { status, signOut } = useSession();
  // Administration is offered only to who may use one of its tabs (the core refuses everyone else
  // anyway): managing users, or reading the audit log as an auditor does.
  const canAdminister = adminTabsFor(status.user).length > 0;
  const canResolve = canResolveConflicts(status.user);
  const canFindDuplicatePairs = canFindDuplicates(status.user);
  const canSeeSegments = canReadSegments(status.user);
  const canImport = canRunImports(status.user);
  const canConfirmData = canSeeFreshness(status.user);
  const canSeeInteractions = canReadInteractions(status.user);
  const canSeeTasks = canReadTasks(status.user);

  useShellLanguage();
  // Back online with changes made offline: they are sent without a click.
  useAutoSync();
  useShortcut(MATCH.palette, () => setPaletteOpen((open) => !open));
  useShortcut(MATCH.newOrganisation, nav.newOrganisation, !paletteOpen);

  return (
    // The log dialog (Ctrl+L) and what the customer card shows of interactions, for who may use
    // them; the task dialog (Ctrl+Shift+T) and a task's panel, for who may use tasks.
    <InteractionsProvider shortcutEnabled={!paletteOpen}>
      <TasksProvider shortcutEnabled={!paletteOpen}>
        <div className="frame">
          <nav className="sidebar" aria-label={t("nav.label")}>
            <div className="brand">{t("app.name")}</div>
            <ul className="nav-list">
              <li>
                <button
                  type="button"
                  className="nav-item"
                  data-testid="nav-customers"
                  aria-current={route.screen === "customers" ? "page" : undefined}
                  onClick={nav.showList}
                >
                  <NavIcon name="customers" />
                  {t("nav.customers")}
                </button>
              </li>
              {canSeeInteractions && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-interactions"
                    aria-current={route.screen === "interactions" ? "page" : undefined}
                    onClick={nav.openInteractions}
                  >
                    <NavIcon name="interactions" />
                    <span className="nav-label">{t("nav.interactions")}</span>
                  </button>
                </li>
              )}
              {canSeeInteractions && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-calendar"
                    aria-current={route.screen === "calendar" ? "page" : undefined}
                    onClick={nav.openCalendar}
                  >
                    <NavIcon name="calendar" />
                    <span className="nav-label">{t("nav.calendar")}</span>
                  </button>
                </li>
              )}
              {canSeeTasks && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-tasks"
                    aria-current={route.screen === "tasks" ? "page" : undefined}
                    onClick={nav.openTasks}
                  >
                    <NavIcon name="tasks" />
                    <span className="nav-label">{t("nav.tasks")}</span>
                    <TasksBadge />
                  </button>
                </li>
              )}
              {COMING_SOON.map((name) => (
                <li key={name}>
                  <button type="button" className="nav-item" disabled aria-disabled="true" title={t("app.comingSoon")}>
                    <NavIcon name={name} />
                    <span className="nav-label">{t(`nav.${name}`)}</span>
                    <span className="nav-soon">{t("app.comingSoon")}</span>
                  </button>
                </li>
              ))}
              {canResolve && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-conflicts"
                    aria-current={route.screen === "conflicts" ? "page" : undefined}
                    onClick={() => nav.openConflicts()}
                  >
                    <NavIcon name="conflicts" />
                    <span className="nav-label">{t("nav.conflicts")}</span>
                    <ConflictsBadge />
                  </button>
                </li>
              )}
              {canFindDuplicatePairs && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-duplicates"
                    aria-current={route.screen === "duplicates" ? "page" : undefined}
                    onClick={nav.openDuplicates}
                  >
                    <NavIcon name="duplicates" />
                    <span className="nav-label">{t("nav.duplicates")}</span>
                  </button>
                </li>
              )}
              {canSeeSegments && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-segments"
                    aria-current={route.screen === "segments" ? "page" : undefined}
                    onClick={nav.openSegments}
                  >
                    <NavIcon name="segments" />
                    <span className="nav-label">{t("nav.segments")}</span>
                  </button>
                </li>
              )}
              {canImport && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-imports"
                    aria-current={route.screen === "imports" ? "page" : undefined}
                    onClick={nav.openImports}
                  >
                    <NavIcon name="imports" />
                    <span className="nav-label">{t("nav.imports")}</span>
                  </button>
                </li>
              )}
              {canConfirmData && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-freshness"
                    aria-current={route.screen === "freshness" ? "page" : undefined}
                    onClick={nav.openFreshness}
                  >
                    <NavIcon name="freshness" />
                    <span className="nav-label">{t("nav.freshness")}</span>
                    <FreshnessBadge />
                  </button>
                </li>
              )}
              {canAdminister && (
                <li>
                  <button
                    type="button"
                    className="nav-item"
                    data-testid="nav-admin"
                    aria-current={route.screen === "admin" ? "page" : undefined}
                    onClick={nav.openAdmin}
                  >
                    <NavIcon name="admin" />
                    {t("nav.admin")}
                  </button>
                </li>
              )}
            </ul>
            <div className="nav-bottom">
              {status.user && (
                <div className="sidebar-user" data-testid="sidebar-user">
                  <NavIcon name="user" />
                  <span className="nav-label" title={status.user.display_name}>
                    {status.user.display_name}
                  </span>
                  <button
                    type="button"
                    className="icon-button"
                    data-testid="sidebar-sign-out"
                    aria-label={t("session.signOut")}
                    title={t("session.signOut")}
                    onClick={() => void signOut()}
                  >
                    <NavIcon name="signOut" />
                  </button>
                </div>
              )}
              <button
                type="button"
                className="nav-item"
                data-testid="nav-settings"
                aria-current={route.screen === "settings" ? "page" : undefined}
                onClick={nav.openSettings}
              >
                <NavIcon name="settings" />
                {t("nav.settings")}
              </button>
            </div>
          </nav>
          <div className="main">
            <header className="header">
              <button type="button" className="global-search" data-testid="global-search" onClick={() => setPaletteOpen(true)}>
                <span className="search-glyph" aria-hidden="true" />
                <span className="global-search-text">{t("header.search")}</span>
                <kbd className="kbd">{t("header.shortcut")}</kbd>
              </button>
            </header>
            <OfflineBanner />
            <main className="content">
              <ScreenErrorBoundary screen={route.screen}>
                {route.screen === "settings" ? (
                  <SettingsScreen />
                ) : route.screen === "admin" && canAdminister ? (
                  <AdminScreen />
                ) : route.screen === "conflicts" && canResolve ? (
                  <ConflictsScreen record={route.record} />
                ) : route.screen === "duplicates" && canFindDuplicatePairs ? (
                  <DuplicatesScreen />
                ) : route.screen === "segments" && canSeeSegments ? (
                  <SegmentsScreen />
                ) : route.screen === "imports" && canImport ? (
                  <ImportsScreen />
                ) : route.screen === "freshness" && canConfirmData ? (
                  <FreshnessScreen />
                ) : route.screen === "interactions" && canSeeInteractions ? (
                  <InteractionsScreen />
                ) : route.screen === "tasks" && canSeeTasks ? (
                  <TasksScreen />
                ) : route.screen === "calendar" && canSeeInteractions ? (
                  <Suspense fallback={<p className="muted">{t("app.loading")}</p>}>
                    <CalendarScreen />
                  </Suspense>
                ) : (
                  // Administration, conflicts, duplicates, segments, imports, data to confirm, interactions, tasks or the calendar left open by someone who may use them fall back to the list for the next person.
                  <CustomersScreen view={route.screen === "customers" ? route.view : { kind: "list" }} />
                )}
              </ScreenErrorBoundary>
            </main>
          </div>
          {paletteOpen && <CommandPalette onClose={() => setPaletteOpen(false)} />}
        </div>
      </TasksProvider>
    </InteractionsProvider>
  );
}

/** Small monochrome glyphs, bundled inline (the window runs offline). */
function NavIcon({ name }: { name: string }) {
  const paths: Record<string, string> = {
    customers: "M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 7c0-3 3-5 6-5s6 2 6 5z",
    interactions: "M2 3h12v8H6l-4 3z",
    calendar: "M2 3.5h12v10.5H2zM2 6.5h12M5 1.5v3M11 1.5v3M4.5 9h2M9.5 9h2M4.5 11.5h2",
    tasks: "M2 2.5h12v11H2zM4.5 6l1.5 1.5L8.5 5M10 6.5h2M4.5 10l1.5 1.5 2.5-2.5M10 10.5h2",
    sales: "M2 14V9h3v5zm4.5 0V5h3v9zM11 14V2h3v12z",
    service: "M3 13l5-5m2-6a3 3 0 0 0-2 5l-5 5 2 2 5-5a3 3 0 0 0 5-2l-2 1-2-2 1-2z",
    quality: "M8 1l2 4.5 5 .5-3.8 3.3L12.4 14 8 11.4 3.6 14l1.2-4.7L1 6l5-.5z",
    analytics: "M2 14h12M3 11l3-4 3 2 4-6",
    conflicts: "M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3",
    duplicates: "M2 2h7v7H2zM7 7h7v7H7z",
    segments: "M1 2h14l-5 6v5l-4 2V8z",
    imports: "M8 1v9M4.5 6.5 8 10l3.5-3.5M2 10v4h12v-4",
    freshness: "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM5 8.2l2 2 4-4.4",
    admin: "M8 1l6 2.5V8c0 3.5-2.6 6-6 7-3.4-1-6-3.5-6-7V3.5z",
    user: "M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 7c0-2.8 2.2-5 5-5s5 2.2 5 5z",
    signOut: "M6 2H3v12h3M10 5l3 3-3 3M13 8H6",
    settings: "M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM7 1h2l.4 2 1.7.9 1.8-1.1 1.4 1.4-1.1 1.8.9 1.7 1.9.3v2l-2 .4-.8 1.7 1.1 1.8-1.4 1.4-1.8-1.1-1.7.8L9 15H7l-.4-2-1.7-.8-1.8 1.1-1.4-1.4 1.1-1.8L2 8.4 1 8V7l2-.4.9-1.7-1.1-1.8 1.4-1.4 1.8 1.1L6.6 2z",
  };
  return (
    <svg className="nav-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={paths[name] ?? ""} />
    </svg>
  );
}

/** Tells the desktop shell the window's language, so its tray menu speaks it too. */
function useShellLanguage() {
  const client = useClient();
  const language = useLanguage();
  useEffect(() => {
    // The tray's labels are a courtesy: a shell that cannot relabel them must not disturb the window.
    client.call("settings.set_language", { language }).catch(() => undefined);
  }, [client, language]);
}
