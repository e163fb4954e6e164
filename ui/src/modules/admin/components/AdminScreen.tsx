import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../../session/hooks/useSession";
import { RulesTab } from "../../workflow/components/RulesTab";
import { adminTabsFor, type AdminTab } from "../access";
import { AuditTab } from "./AuditTab";
import { DepartmentsTab } from "./DepartmentsTab";
import { EfficiencyTab } from "./EfficiencyTab";
import { FieldsTab } from "./FieldsTab";
import { FreshnessTab } from "./FreshnessTab";
import { RolesTab } from "./RolesTab";
import { TopicsTab } from "./TopicsTab";
import { UsersTab } from "./UsersTab";

/**
 * Who may use Accord and what each role may do (users, the role matrix, departments), the custom
 * fields each kind of record has, the topics interactions are logged under, after how many months its data must be confirmed again, the workflow rules, and the audit log of what they did and how much each did: each
 * tab shown only to who may use it (an auditor sees the log and the efficiency report alone).
 */
export function AdminScreen() {
  const { t } = useTranslation();
  const { status } = useSession();
  const tabs = adminTabsFor(status.user);
  const [chosen, setChosen] = useState<AdminTab | null>(null);
  // The person the audit tab opens filtered to, when the users tab sent the user there ("": everyone).
  const [auditPerson, setAuditPerson] = useState("");
  // The tab chosen while it is still allowed, else the first one allowed.
  const tab = chosen !== null && tabs.includes(chosen) ? chosen : tabs[0];
  if (tab === undefined) return null;

  /** A tab chosen by the user: it opens as it always does, the audit log unfiltered. */
  function choose(target: AdminTab) {
    setChosen(target);
    setAuditPerson("");
  }

  function select(target: AdminTab) {
    choose(target);
    document.getElementById(`admin-tab-${target}`)?.focus();
  }

  /** The audit of one person's work: their audited actions and the records they changed. */
  function openAudit(userId: string) {
    setChosen("audit");
    setAuditPerson(userId);
    document.getElementById("admin-tab-audit")?.focus();
  }

  return (
    <div className="page admin">
      <div className="panel admin-panel">
        <h1 className="screen-title admin-title">{t("admin.title")}</h1>
        <div className="tabs" role="tablist" aria-label={t("admin.title")}>
          {tabs.map((name) => (
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
              onClick={() => choose(name)}
              onKeyDown={(e) => {
                const step = arrowStep(e.key);
                if (step !== 0) select(tabs[(tabs.indexOf(name) + step + tabs.length) % tabs.length]);
              }}
            >
              {t(`admin.tabs.${name}`)}
            </button>
          ))}
        </div>
        <div className="tab-panel" role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === "users" && <UsersTab onOpenAudit={tabs.includes("audit") ? openAudit : undefined} />}
          {tab === "roles" && <RolesTab />}
          {tab === "departments" && <DepartmentsTab />}
          {tab === "fields" && <FieldsTab />}
          {tab === "topics" && <TopicsTab />}
          {tab === "freshness" && <FreshnessTab />}
          {tab === "workflow" && <RulesTab />}
          {tab === "audit" && <AuditTab initialActorId={auditPerson} />}
          {tab === "efficiency" && <EfficiencyTab />}
        </div>
      </div>
    </div>
  );
}

/** The tab an arrow key moves to, as seen on screen: a right-to-left window reverses the arrows. */
function arrowStep(key: string): -1 | 0 | 1 {
  const rtl = document.documentElement.dir === "rtl";
  if (key === (rtl ? "ArrowLeft" : "ArrowRight")) return 1;
  if (key === (rtl ? "ArrowRight" : "ArrowLeft")) return -1;
  return 0;
}
