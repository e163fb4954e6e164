import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DepartmentsTab } from "./DepartmentsTab";
import { RolesTab } from "./RolesTab";
import { UsersTab } from "./UsersTab";

const TABS = ["users", "roles", "departments"] as const;
type Tab = (typeof TABS)[number];

/** Who may use Accord and what each role may do: users, the role matrix and departments. */
export function AdminScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("users");

  return (
    <div className="page admin">
      <div className="panel admin-panel">
        <h1 className="screen-title admin-title">{t("admin.title")}</h1>
        <div className="tabs" role="tablist" aria-label={t("admin.title")}>
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`admin-tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`admin-panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              className="tab"
              data-testid={`admin-tab-${name}`}
              onClick={() => setTab(name)}
              onKeyDown={(e) => {
                const i = TABS.indexOf(name);
                const rtl = document.documentElement.dir === "rtl";
                const next = e.key === (rtl ? "ArrowLeft" : "ArrowRight") ? 1 : e.key === (rtl ? "ArrowRight" : "ArrowLeft") ? -1 : 0;
                if (next !== 0) {
                  const target = TABS[(i + next + TABS.length) % TABS.length];
                  setTab(target);
                  document.getElementById(`admin-tab-${target}`)?.focus();
                }
              }}
            >
              {t(`admin.tabs.${name}`)}
            </button>
          ))}
        </div>
        <div className="tab-panel" role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === "users" && <UsersTab />}
          {tab === "roles" && <RolesTab />}
          {tab === "departments" && <DepartmentsTab />}
        </div>
      </div>
    </div>
  );
}
