import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { InteractionRow } from "../../../api/generated";
import { useOpenRecord } from "../../../app/useOpenRecord";
import { Field } from "../../../shared/ui/Field";
import { colleagueName, useColleagues } from "../../../shared/useColleagues";
import { useLanguage } from "../../../shared/useLanguage";
import { useSession } from "../../session/hooks/useSession";
import { canChooseColleague } from "../access";
import { useLogInteraction } from "../hooks/useLogInteraction";
import { InteractionHistory } from "./InteractionHistory";

/**
 * An employee's interactions (COMM-2): one's own, those one answered for, newest first, with the
 * history's filters; who can read the directory may look at a colleague's (the core lists what is
 * within their reach). Each row opens its customer's card.
 */
export function InteractionsScreen() {
  const { t } = useTranslation();
  const language = useLanguage();
  const me = useSession().status.user;
  const canChoose = canChooseColleague(me);
  const { data: directory } = useColleagues(canChoose);
  const { log } = useLogInteraction();
  const [personId, setPersonId] = useState(me?.id ?? "");
  const openOrganisation = useOpenRecord("organisations", "interactions");
  const openContact = useOpenRecord("contacts", "interactions");
  const mine = personId === me?.id;
  const person = mine ? null : ((directory && colleagueName(directory, personId)) ?? personId);
  const colleagues = (directory?.users ?? [])
    .filter((u) => u.id !== me?.id)
    .sort((a, b) => a.display_name.localeCompare(b.display_name, language));

  function openCustomer(row: InteractionRow) {
    if (row.organisation_id !== null) void openOrganisation(row.organisation_id);
    else if (row.contact_id !== null) void openContact(row.contact_id);
  }

  return (
    <div className="page interactions" data-testid="interactions-screen">
      <div className="panel interactions-panel">
        <header className="panel-header">
          <h1 className="screen-title">{person === null ? t("interactions.screen.title") : t("interactions.screen.titleOf", { name: person })}</h1>
          <span className="toolbar-spacer" />
          {log && (
            <button type="button" className="button" data-testid="log-interaction-open" onClick={() => log()}>
              {t("interactions.history.log")}
            </button>
          )}
        </header>
        <p className="muted interactions-intro">{t("interactions.screen.intro")}</p>
        {canChoose && colleagues.length > 0 && (
          <div className="section-toolbar">
            <Field label={t("interactions.screen.person")}>
              {(control) => (
                <select {...control} className="input select-compact" data-testid="interactions-person" value={personId} onChange={(e) => setPersonId(e.target.value)}>
                  {me && <option value={me.id}>{t("interactions.dialog.me", { name: me.display_name })}</option>}
                  {colleagues.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.active ? u.display_name : t("interactions.screen.deactivated", { name: u.display_name })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        )}
        <InteractionHistory
          scope={{ responsibleId: personId }}
          onOpenCustomer={openCustomer}
          emptyText={mine ? t("interactions.screen.empty") : t("interactions.screen.emptyOf", { name: person ?? "" })}
        />
      </div>
    </div>
  );
}
