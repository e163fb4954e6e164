import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, InteractionTopic } from "../../../api/generated";
import { useMutation } from "../../../api/useOperation";
import { errorMessage, fieldErrorFor } from "../../../shared/errors";
import { topicNameError } from "../../../shared/interactions/labels";
import { useDefineTopic, useRefreshTopics, useTopics } from "../../../shared/interactions/useTopics";
import { Field } from "../../../shared/ui/Field";

/**
 * Interaction topics (COMM-1): the list interactions are logged under, by name, the retired ones on
 * request; add one, rename one in its row, retire one (no longer offered; the interactions that
 * name it keep it) or restore it. A name the core refuses (another active topic has it, letter case
 * and Persian letter variants aside) says so under the name.
 */
export function TopicsTab() {
  const { t } = useTranslation();
  const topics = useTopics();
  const refresh = useRefreshTopics();
  const [showRetired, setShowRetired] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const retire = useMutation("interactions.retire_topic");
  const restore = useMutation("interactions.restore_topic");
  const busy = retire.pending || restore.pending;
  const shown = showRetired ? topics.all : topics.active;

  function report(message: string | null, error: ApiError | null = null) {
    setNotice(message);
    setProblem(error);
  }

  /** Retiring loses nothing (the topic comes back with Restore), so it is not asked about first. */
  async function setRetired(topic: InteractionTopic, retired: boolean) {
    if (busy) return;
    report(null);
    try {
      const changed = await (retired ? retire : restore).run({ id: topic.id, version: topic.version });
      if (renaming === topic.id) setRenaming(null);
      report(t(retired ? "interactions.topics.retiredNotice" : "interactions.topics.restoredNotice", { name: changed.name }));
    } catch (e) {
      report(null, e as ApiError);
    }
    await refresh();
  }

  return (
    <div className="admin-tab" data-testid="topics-tab">
      <h2 className="section-title">{t("interactions.topics.title")}</h2>
      <p className="muted">{t("interactions.topics.intro")}</p>
      {topics.error && (
        <div className="banner banner-error" role="alert">
          <p>{errorMessage(t, topics.error)}</p>
          <button type="button" className="button" onClick={() => void topics.reload()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-success" role="status" data-testid="topics-notice">
          {notice}
        </div>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="topics-error">
          {errorMessage(t, problem)}
        </div>
      )}
      <div className="section-toolbar">
        <label className="checkbox">
          <input type="checkbox" data-testid="topics-show-retired" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} />
          {t("interactions.topics.showRetired")}
        </label>
      </div>
      {!topics.settled && !topics.error ? (
        <p className="muted">{t("app.loading")}</p>
      ) : shown.length === 0 ? (
        <p className="empty" data-testid="topics-empty">
          {t("interactions.topics.empty")}
        </p>
      ) : (
        <table className="data-table topics-table" data-testid="topics-list">
          <thead>
            <tr>
              <th>{t("interactions.topics.columns.name")}</th>
              <th>{t("interactions.topics.columns.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((topic) => {
              const retired = topic.archived_at !== null;
              return (
                <tr
                  key={topic.id}
                  className={retired ? "topic-row topic-retired" : "topic-row"}
                  data-testid="topic-row"
                  data-id={topic.id}
                  data-retired={retired ? "true" : undefined}
                >
                  {renaming === topic.id ? (
                    <td colSpan={2}>
                      <RenameTopic
                        key={topic.version}
                        topic={topic}
                        onCancel={() => setRenaming(null)}
                        onRenamed={(renamed) => {
                          setRenaming(null);
                          report(t("interactions.topics.renamedNotice", { name: renamed.name }));
                          void refresh();
                        }}
                      />
                    </td>
                  ) : (
                    <>
                      <td>
                        <bdi className="cell-strong" data-testid="topic-name">
                          {topic.name}
                        </bdi>
                        {retired && (
                          <>
                            {" "}
                            <span className="badge badge-retired">{t("interactions.topics.retired")}</span>
                          </>
                        )}
                      </td>
                      <td className="row-actions">
                        {!retired && (
                          <button
                            type="button"
                            className="link-button"
                            data-testid="topic-rename"
                            aria-label={t("interactions.topics.renameOne", { name: topic.name })}
                            onClick={() => {
                              report(null);
                              setRenaming(topic.id);
                            }}
                          >
                            {t("interactions.topics.rename")}
                          </button>
                        )}
                        {retired ? (
                          <button
                            type="button"
                            className="link-button"
                            data-testid="topic-restore"
                            aria-label={t("interactions.topics.restoreOne", { name: topic.name })}
                            disabled={busy}
                            onClick={() => void setRetired(topic, false)}
                          >
                            {t("interactions.topics.restore")}
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="link-button"
                            data-testid="topic-retire"
                            aria-label={t("interactions.topics.retireOne", { name: topic.name })}
                            disabled={busy}
                            onClick={() => void setRetired(topic, true)}
                          >
                            {t("interactions.topics.retire")}
                          </button>
                        )}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AddTopicForm onAdded={(added) => report(t("interactions.topics.addedNotice", { name: added.name }))} />
    </div>
  );
}

/** A new topic: its name, added with Enter or the button; the box empties for the next one. */
function AddTopicForm({ onAdded }: { onAdded: (topic: InteractionTopic) => void }) {
  const { t } = useTranslation();
  const { define, pending } = useDefineTopic();
  const [name, setName] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const nameError = fieldErrorFor(error, "name");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    try {
      const added = await define(name);
      setError(null);
      setName("");
      onAdded(added);
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form className="subform topic-add" noValidate autoComplete="off" data-testid="topic-add-form" onSubmit={(e) => void submit(e)}>
      <h3 className="subform-title">{t("interactions.topics.addTitle")}</h3>
      {error && !nameError && (
        <div className="banner banner-error" role="alert">
          {errorMessage(t, error)}
        </div>
      )}
      <div className="topic-add-row">
        <Field
          label={t("interactions.topics.name")}
          error={nameError ? topicNameError(t, nameError) : undefined}
          errorTestId="topic-add-error"
          required
          requiredLabel={t("form.required")}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              dir="auto"
              data-testid="topic-add-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" data-testid="topic-add" aria-disabled={pending || undefined}>
          {t("interactions.topics.add")}
        </button>
      </div>
    </form>
  );
}

/** A topic's name edited in its row: Enter saves, Esc cancels; a refused name keeps what was typed. */
function RenameTopic({ topic, onRenamed, onCancel }: { topic: InteractionTopic; onRenamed: (topic: InteractionTopic) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const rename = useMutation("interactions.rename_topic");
  const [name, setName] = useState(topic.name);
  const [error, setError] = useState<ApiError | null>(null);
  const nameError = fieldErrorFor(error, "name");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (rename.pending) return;
    if (name === topic.name) {
      onCancel();
      return;
    }
    try {
      onRenamed(await rename.run({ id: topic.id, version: topic.version, name }));
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <form
      className="topic-rename"
      noValidate
      autoComplete="off"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <Field
        label={t("interactions.topics.newName", { name: topic.name })}
        error={nameError ? topicNameError(t, nameError) : error ? errorMessage(t, error) : undefined}
        errorTestId="topic-rename-error"
      >
        {(control) => (
          <input {...control} className="input" dir="auto" autoFocus data-testid="topic-rename-input" value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <div className="topic-rename-actions">
        <button type="button" className="button" data-testid="topic-rename-cancel" onClick={onCancel}>
          {t("interactions.topics.cancel")}
        </button>
        <button type="submit" className="button button-primary" data-testid="topic-rename-save" aria-disabled={rename.pending || undefined}>
          {t("interactions.topics.save")}
        </button>
      </div>
    </form>
  );
}
