import type { DuplicateWarning } from "../../../api/generated";
import { useTranslation } from "react-i18next";
import { useNavigation, type CustomersView } from "../../../app/navigation";
import { errorMessage } from "../../../shared/errors";
import { hasPermission, useSession } from "../../session/hooks/useSession";
import { useOrganisationCard } from "../hooks/useOrganisationCard";
import { useRefreshOrganisationLists } from "../hooks/useOrganisationList";
import { OrganisationCard } from "./OrganisationCard";
import { OrganisationForm } from "./OrganisationForm";
import { OrganisationList } from "./OrganisationList";

/** The list stays mounted behind a card or form, so its pages, scroll and selection are kept. */
export function CustomersScreen({ view }: { view: CustomersView }) {
  const nav = useNavigation();
  // After a save or archive the loaded pages are read again in place, so the list shows the
  // change when the user comes back, at the same place with the same row selected.
  const refreshList = useRefreshOrganisationLists();
  const user = useSession().status.user;
  // Open conflicts are read only for who may resolve them: the core refuses everyone else.
  const canResolve = hasPermission(user, "sync.resolve");
  // A record's merges likewise, for who may find duplicates; undoing one needs duplicates.merge.
  const merges = hasPermission(user, "duplicates.find") ? { canUndo: hasPermission(user, "duplicates.merge") } : undefined;
  // Confirming that data is current changes the record: who may change customers may. Nobody
  // signed in is the owner of a database without users, whom the core refuses nothing.
  const canConfirmData = user === null || hasPermission(user, "customers.write");
  // The list's export is the segments' (`segments.export` asks for `segments.read`), and audited.
  const canExport = user === null || hasPermission(user, "segments.read");

  return (
    <>
      <OrganisationList
        active={view.kind === "list"}
        onOpen={(id) => nav.openOrganisation(id)}
        onNew={nav.newOrganisation}
        canExport={canExport}
      />
      {view.kind === "new" && (
        <div className="page page-form">
          <OrganisationForm
            onSaved={(saved) => {
              refreshList();
              nav.openOrganisation(saved.organisation.id, saved.duplicates);
            }}
            onCancel={nav.showList}
          />
        </div>
      )}
      {view.kind === "edit" && (
        <div className="page page-form">
          <EditOrganisation
            id={view.id}
            onSaved={(id, duplicates) => {
              refreshList();
              nav.openOrganisation(id, duplicates);
            }}
            onCancel={() => nav.openOrganisation(view.id)}
          />
        </div>
      )}
      {view.kind === "card" && (
        <div className="page">
          <OrganisationCard
            id={view.id}
            duplicates={view.duplicates}
            tab={view.tab}
            onOpen={(id) => nav.openOrganisation(id)}
            onEdit={nav.editOrganisation}
            onBack={nav.showList}
            onArchivedChanged={refreshList}
            onResolveConflicts={canResolve ? (id) => nav.openConflicts({ table: "organisations", id }) : undefined}
            merges={merges}
            canConfirmData={canConfirmData}
          />
        </div>
      )}
    </>
  );
}

function EditOrganisation({
  id,
  onSaved,
  onCancel,
}: {
  id: string;
  onSaved: (id: string, duplicates: DuplicateWarning[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { card, error, reload } = useOrganisationCard(id);
  if (!card) {
    return error ? (
      <div className="banner banner-error" role="alert">
        {errorMessage(t, error)}
      </div>
    ) : (
      <p className="muted">{t("app.loading")}</p>
    );
  }
  const org = card.organisation;
  return (
    <OrganisationForm
      // A reload after a conflict starts the form again from the stored version.
      key={`${org.id}-${org.version}`}
      organisation={org}
      onSaved={(saved) => onSaved(saved.organisation.id, saved.duplicates)}
      onCancel={onCancel}
      onReload={reload}
    />
  );
}
