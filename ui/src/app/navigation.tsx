// Where the window is: a small routing state (no URLs in a desktop window).

import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { DuplicateWarning } from "../api/generated";
import type { RecordRef } from "../shared/sync/useConflicts";

/** The tabs of an organisation's card; "interactions" is there for who may read interactions. */
export type CardTab = "details" | "contacts" | "relations" | "interactions" | "history";

export type CustomersView =
  | { kind: "list" }
  | { kind: "new" }
  /** `tab`: the tab it opens on (details when absent). */
  | { kind: "card"; id: string; duplicates?: DuplicateWarning[]; tab?: CardTab }
  | { kind: "edit"; id: string };

export type Route =
  | { screen: "customers"; view: CustomersView }
  | { screen: "settings" }
  | { screen: "admin" }
  /** Likely duplicates of a kind, compared and merged (CUST-5). */
  | { screen: "duplicates" }
  /** Customers selected by their characteristics, saved as live segments (CUST-4). */
  | { screen: "segments" }
  /** Organisations or contacts from a CSV or XLSX file, and one's recent imports (CUST-7). */
  | { screen: "imports" }
  /** One's own customers whose data was not confirmed for longer than their kind allows (CUST-6). */
  | { screen: "freshness" }
  /** One's interactions with customers, or a colleague's (COMM-2). */
  | { screen: "interactions" }
  /** Scheduled contacts' occurrences in a calendar: one's own, a colleague's or the team's (COMM-3). */
  | { screen: "calendar" }
  /** Tasks: one's own, those one controls or handed on, or the team's (COMM-5). */
  | { screen: "tasks" }
  /** Conflicts between offline changes: one record's (from its card), or (null) all. */
  | { screen: "conflicts"; record: RecordRef | null };

type Navigation = {
  route: Route;
  navigate: (route: Route) => void;
  showList: () => void;
  newOrganisation: () => void;
  openOrganisation: (id: string, duplicates?: DuplicateWarning[], tab?: CardTab) => void;
  editOrganisation: (id: string) => void;
  openSettings: () => void;
  openAdmin: () => void;
  openConflicts: (record?: RecordRef) => void;
  openDuplicates: () => void;
  openSegments: () => void;
  openImports: () => void;
  openFreshness: () => void;
  openInteractions: () => void;
  openCalendar: () => void;
  openTasks: () => void;
};

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ initial, children }: { initial?: Route; children: ReactNode }) {
  const [route, setRoute] = useState<Route>(initial ?? { screen: "customers", view: { kind: "list" } });
  const value = useMemo<Navigation>(
    () => ({
      route,
      navigate: setRoute,
      showList: () => setRoute({ screen: "customers", view: { kind: "list" } }),
      newOrganisation: () => setRoute({ screen: "customers", view: { kind: "new" } }),
      openOrganisation: (id, duplicates, tab) => setRoute({ screen: "customers", view: { kind: "card", id, duplicates, tab } }),
      editOrganisation: (id) => setRoute({ screen: "customers", view: { kind: "edit", id } }),
      openSettings: () => setRoute({ screen: "settings" }),
      openAdmin: () => setRoute({ screen: "admin" }),
      openConflicts: (record) => setRoute({ screen: "conflicts", record: record ?? null }),
      openDuplicates: () => setRoute({ screen: "duplicates" }),
      openSegments: () => setRoute({ screen: "segments" }),
      openImports: () => setRoute({ screen: "imports" }),
      openFreshness: () => setRoute({ screen: "freshness" }),
      openInteractions: () => setRoute({ screen: "interactions" }),
      openCalendar: () => setRoute({ screen: "calendar" }),
      openTasks: () => setRoute({ screen: "tasks" }),
    }),
    [route],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (!navigation) throw new Error("useNavigation needs a <NavigationProvider> above it");
  return navigation;
}
