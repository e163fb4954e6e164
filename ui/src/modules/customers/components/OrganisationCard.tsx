import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, DuplicateWarning, Organisation } from "../../../api/generated";
import type { CardTab } from "../../../app/navigation";
import { useMutation } from "../../../api/useOperation";
import { CustomFieldValues } from "../../../shared/customFields/CustomFieldValues";
import { useCustomFields } from "../../../shared/customFields/useCustomFields";
import { holdsValue, isRetired } from "../../../shared/customFields/values";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { HistorySection } from "../../../shared/history/HistorySection";
import { MergeNotice } from "../../../shared/duplicates/MergeNotice";
import { FreshnessNotice } from "../../../shared/freshness/FreshnessNotice";
import { useInteractionsSlot } from "../../../shared/interactions/InteractionsSlot";
import { fieldLabel } from "../../../shared/labels";
import { ConflictsNotice } from "../../../shared/sync/ConflictsNotice";
import { ConfirmDialog } from "../../../shared/ui/ConfirmDialog";
import { OwnershipDetails } from "../../../shared/ui/OwnershipDetails";
import { Phone } from "../../../shared/ui/Phone";
import { useLanguage } from "../../../shared/useLanguage";
import { useOrganisationCard } from "../hooks/useOrganisationCard";
import { ORGANISATION_FIELDS } from "../types";
import { ContactsSection } from "./ContactsSection";
import { DuplicateWarnings } from "./DuplicateWarnings";
import { RelationsSection } from "./RelationsSection";

/** The card's tabs in order; "interactions" only when the app put interactions in the card's slot. */
const ALL_TABS = ["details", "contacts", "relations", "interactions", "history"] as const satisfies readonly CardTab[];

type Props = {
  id: string;
  duplicates?: DuplicateWarning[];
  /** The tab it opens on (details when absent). */
  tab?: CardTab;
  onOpen: (id: string) => void;
  onEdit: (id: string) => void;
  onBack: () => void;
  /** Archived or restored: the list should reload. */
  onArchivedChanged?: () => void;
  /** Where this organisation's conflicts between offline changes are decided; absent: none are shown. */
  onResolveConflicts?: (id: string) => void;
  /** The merges the organisation and its contacts took part in (for who may find duplicates); absent: none are shown. */
  merges?: { canUndo: boolean };
  /** Who may change customers may confirm that their data is current (CUST-6). */
  canConfirmData?: boolean;
};

/** The 360° card of one organisation. */
export function OrganisationCard(props: Props) {
  // A fresh card (tabs, dialogs) for every organisation opened.
  return <CardFrame key={props.id} {...props} />;
}

function CardFrame({ id, duplicates, tab: initialTab, onOpen, onEdit, onBack, onArchivedChanged, onResolveConflicts, merges, canConfirmData = false }: Props) {
  const language = useLanguage();
  const { t } = useTranslation();
  const { card, error, reload } = useOrganisationCard(id);
  // Interactions are another domain's: the card shows what the app put in its slot, if anything.
  const interactions = useInteractionsSlot();
  const logInteraction = interactions?.log;
  const scheduleContact = interactions?.schedule;
  const tabs = ALL_TABS.filter((name) => name !== "interactions" || interactions !== null);
  const [chosenTab, setTab] = useState<CardTab>(initialTab ?? "details");
  const tab = tabs.includes(chosenTab) ? chosenTab : "details";
  // The person whose interactions the interactions tab shows (from their row); null: everyone's.
  const [interactionsOf, setInteractionsOf] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"archive" | "restore" | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const archive = useMutation("customers.archive_organisation");
  const restore = useMutation("customers.restore_organisation");

  if (error && !card)
    return (
      <div className="panel" data-testid="org-card">
        <div className="banner banner-error" role="alert">
          {t("card.notFound")} {errorMessage(t, error)}
        </div>
        <div className="panel-footer">
          <button type="button" className="button" onClick={onBack}>
            {t("card.back")}
          </button>
          <button type="button" className="button" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      </div>
    );
  if (!card)
    return (
      <div className="panel" data-testid="org-card" aria-busy="true">
        <p className="muted">{t("app.loading")}</p>
      </div>
    );

  const org = card.organisation;
  const archived = org.archived_at !== null;

  async function runConfirmed() {
    const action = confirm === "archive" ? archive : restore;
    try {
      await action.run({ id: org.id, version: org.version });
      setConfirm(null);
      setActionError(null);
      reload();
      onArchivedChanged?.();
    } catch (e) {
      setActionError(e as ApiError);
    }
  }

  return (
    <article className="panel card" data-testid="org-card" data-id={org.id} aria-labelledby="org-card-name">
      <div className="card-back">
        <button type="button" className="link-button" onClick={onBack}>
          <span className="back-arrow" aria-hidden="true">
            ←
          </span>{" "}
          {t("card.back")}
        </button>
      </div>
      <header className="card-header">
        <div className="card-title">
          <h1 id="org-card-name" className="screen-title" data-testid="org-card-name">
            {org.name}
          </h1>
          <span className={`badge badge-${org.kind}`}>{t(`kinds.${org.kind}`)}</span>
          {archived && (
            <span className="badge badge-archived" data-testid="archived-badge">
              {t("card.archived")}
            </span>
          )}
        </div>
        <div className="card-actions">
          {!archived && (
            <button type="button" className="button" data-testid="org-edit" onClick={() => onEdit(org.id)}>
              {t("card.edit")}
            </button>
          )}
          {archived ? (
            <button type="button" className="button" data-testid="org-restore" onClick={() => setConfirm("restore")}>
              {t("card.restore")}
            </button>
          ) : (
            <button type="button" className="button" data-testid="org-archive" onClick={() => setConfirm("archive")}>
              {t("card.archive")}
            </button>
          )}
        </div>
      </header>

      <FreshnessNotice
        table="organisations"
        record={org}
        canConfirm={canConfirmData}
        testId="confirm-data"
        // Its version went up (and its history grew): the card is read again, so later changes use the new one.
        onConfirmed={reload}
        onOutdated={reload}
      />
      {onResolveConflicts && <ConflictsNotice record={{ table: "organisations", id: org.id }} onResolve={() => onResolveConflicts(org.id)} />}
      {merges && (
        <MergeNotice
          table="organisations"
          id={org.id}
          title={org.name}
          archived={archived}
          canUndo={merges.canUndo}
          onOpen={onOpen}
          onUndone={() => {
            // Restored, and the survivor gave back what it took: the card and the list read again.
            reload();
            onArchivedChanged?.();
          }}
        />
      )}
      {duplicates && <DuplicateWarnings duplicates={duplicates} onOpen={onOpen} />}

      <div className="tabs" role="tablist" aria-label={t("card.label")}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`card-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`card-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className="tab"
            data-testid={`card-tab-${name}`}
            onClick={() => setTab(name)}
            onKeyDown={(e) => {
              const i = tabs.indexOf(name);
              const rtl = document.documentElement.dir === "rtl";
              const next = e.key === (rtl ? "ArrowLeft" : "ArrowRight") ? 1 : e.key === (rtl ? "ArrowRight" : "ArrowLeft") ? -1 : 0;
              if (next !== 0) {
                const target = tabs[(i + next + tabs.length) % tabs.length];
                setTab(target);
                document.getElementById(`card-tab-${target}`)?.focus();
              }
            }}
          >
            {t(`card.${name}`)}
            {name === "contacts" && card.contacts.length > 0 && <span className="tab-count">{formatNumber(card.contacts.length, language)}</span>}
            {name === "relations" && card.relations.length > 0 && <span className="tab-count">{formatNumber(card.relations.length, language)}</span>}
          </button>
        ))}
      </div>

      <div className="tab-panel" role="tabpanel" id={`card-panel-${tab}`} aria-labelledby={`card-tab-${tab}`}>
        {tab === "details" && <Details org={org} />}
        {tab === "contacts" && (
          <ContactsSection
            organisationId={org.id}
            contacts={card.contacts}
            readOnly={archived}
            canConfirmData={canConfirmData}
            onChanged={reload}
            merges={merges}
            onOpenOrganisation={onOpen}
            onLogInteraction={
              logInteraction &&
              ((c) => logInteraction({ kind: "contact", contact: { id: c.id, name: c.full_name }, organisation: { id: org.id, name: org.name } }))
            }
            onScheduleContact={
              scheduleContact &&
              ((c) => scheduleContact({ kind: "contact", contact: { id: c.id, name: c.full_name }, organisation: { id: org.id, name: org.name } }))
            }
            onShowInteractions={
              interactions
                ? (c) => {
                    setInteractionsOf(c.id);
                    setTab("interactions");
                    // The row's button leaves with the tab: the focus goes to the tab shown.
                    document.getElementById("card-tab-interactions")?.focus();
                  }
                : undefined
            }
          />
        )}
        {tab === "interactions" && interactions && (
          <interactions.History
            organisation={{ id: org.id, name: org.name, archived }}
            contacts={card.contacts.map((c) => ({ id: c.id, name: c.full_name }))}
            contactId={interactionsOf}
            onContactChange={setInteractionsOf}
          />
        )}
        {tab === "relations" && (
          <RelationsSection organisationId={org.id} relations={card.relations} readOnly={archived} onOpen={onOpen} onChanged={reload} />
        )}
        {tab === "history" && <HistorySection key={org.version} table="organisations" id={org.id} />}
      </div>

      {confirm && (
        <ConfirmDialog
          title={confirm === "archive" ? t("card.archiveTitle") : t("card.restoreTitle")}
          body={confirm === "archive" ? t("card.archiveBody", { name: org.name }) : t("card.restoreBody", { name: org.name })}
          confirmLabel={confirm === "archive" ? t("card.archive") : t("card.restore")}
          danger={confirm === "archive"}
          busy={archive.pending || restore.pending}
          error={actionError ? errorMessage(t, actionError) : null}
          onConfirm={() => void runConfirmed()}
          onCancel={() => {
            setConfirm(null);
            setActionError(null);
          }}
        />
      )}
    </article>
  );
}

const LTR_FIELDS = new Set(["tax_id", "email", "phone", "website", "country"]);

/** A detail's value: a phone formatted, tax ids, emails, sites and country codes left to right, the rest as written. */
function DetailValue({ field, value }: { field: string; value: string }) {
  if (field === "phone") return <Phone value={value} />;
  return LTR_FIELDS.has(field) ? <bdi dir="ltr">{value}</bdi> : value;
}

function Details({ org }: { org: Organisation }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const shown = ORGANISATION_FIELDS.filter((f) => f !== "name" && f !== "kind");
  return (
    <>
      <dl className="details">
        {shown.map((f) => (
          <div key={f} className={f === "notes" || f === "address" ? "detail detail-wide" : "detail"}>
            <dt>{fieldLabel(t, f)}</dt>
            <dd className={org[f] ? undefined : "muted"} dir={org[f] && !LTR_FIELDS.has(f) ? "auto" : undefined}>
              {org[f] ? <DetailValue field={f} value={org[f]} /> : t("app.none")}
            </dd>
          </div>
        ))}
        <OwnershipDetails ownerId={org.owner_id} departmentId={org.department_id} />
        <div className="detail">
          <dt>{fieldLabel(t, "created_at")}</dt>
          <dd>{formatDateTime(org.created_at, language)}</dd>
        </div>
        <div className="detail">
          <dt>{fieldLabel(t, "updated_at")}</dt>
          <dd>{formatDateTime(org.updated_at, language)}</dd>
        </div>
        {org.archived_at && (
          <div className="detail">
            <dt>{fieldLabel(t, "archived_at")}</dt>
            <dd>{formatDateTime(org.archived_at, language)}</dd>
          </div>
        )}
      </dl>
      <CustomDetails org={org} />
    </>
  );
}

/** The organisation's custom values: every active field, and the retired ones that still hold a value. */
function CustomDetails({ org }: { org: Organisation }) {
  const { t } = useTranslation();
  const { fields } = useCustomFields("organisations", { includeRetired: true });
  const values = org.custom ?? {};
  if (!fields.some((f) => !isRetired(f) || holdsValue(f, values))) return null;
  return (
    <section className="custom-values" data-testid="custom-values" aria-labelledby="org-custom-values-title">
      <h2 id="org-custom-values-title" className="section-title">
        {t("customFields.title")}
      </h2>
      <CustomFieldValues fields={fields} values={values} />
    </section>
  );
}
