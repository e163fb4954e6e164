import { useId, useState, type KeyboardEvent, type Ref } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError, InteractionTopic } from "../../../api/generated";
import { errorMessage, fieldErrorFor } from "../../../shared/errors";
import { topicNameError } from "../../../shared/interactions/labels";
import { useDefineTopic } from "../../../shared/interactions/useTopics";
import type { ControlProps } from "../../../shared/ui/Field";
import { filterTopics, matchable } from "../model";

type Props = {
  control: ControlProps;
  inputRef?: Ref<HTMLInputElement>;
  /** The topics a new interaction may take, by name. */
  topics: readonly InteractionTopic[];
  /** The chosen topic (a retired one stays shown when the interaction already names it). */
  value: InteractionTopic | null;
  onChange: (topic: InteractionTopic | null) => void;
  /** A topic was picked with the keyboard: the dialog moves on to the next field. */
  onPicked?: () => void;
  autoFocus?: boolean;
};

/**
 * A select of the active topics that filters as one types: the list opens with the focus (or ↓), ↑ ↓
 * move through it, Enter picks the highlighted topic, Esc closes it; typing over a chosen topic
 * unchooses it, and leaving the box with a topic's exact name typed chooses that topic.
 */
export function TopicPicker({ control, inputRef, topics, value, onChange, onPicked, autoFocus }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState(value?.name ?? "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // A topic chosen from outside (one just added) shows in the box.
  const [shown, setShown] = useState(value);
  if (value?.id !== shown?.id) {
    setShown(value);
    if (value) setText(value.name);
  }
  // The whole list while the box shows the chosen topic, as a select would.
  const options = filterTopics(topics, value !== null && text === value.name ? "" : text);
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));

  function pick(topic: InteractionTopic | undefined, byKeyboard: boolean) {
    if (!topic) return;
    setText(topic.name);
    setOpen(false);
    onChange(topic);
    if (byKeyboard) onPicked?.();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(options.length - 1, activeIndex + step)));
    } else if (e.key === "Enter" && open && !e.nativeEvent.isComposing) {
      e.preventDefault();
      pick(options[activeIndex], true);
    } else if (e.key === "Escape" && open) {
      // Esc closes the list first; the dialog is cancelled by the next one.
      e.stopPropagation();
      e.preventDefault();
      setOpen(false);
      setText(value?.name ?? "");
    }
  }

  return (
    <div className="picker">
      <input
        {...control}
        ref={inputRef}
        className="input"
        data-testid="interaction-topic"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options.length > 0 ? `${listId}-${activeIndex}` : undefined}
        autoComplete="off"
        autoFocus={autoFocus}
        dir="auto"
        placeholder={t("interactions.dialog.topicPlaceholder")}
        value={text}
        // Nothing chosen yet: the list shows at once, as an opened select would; ↓ opens it otherwise.
        onFocus={() => setOpen(value === null)}
        onBlur={() => {
          setOpen(false);
          if (value !== null) return;
          const exact = topics.find((topic) => matchable(topic.name) === matchable(text));
          if (exact && text.trim() !== "") pick(exact, false);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="picker-list" id={listId} role="listbox" aria-label={t("interactions.dialog.topic")}>
          {options.map((topic, i) => (
            <li
              key={topic.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? "picker-option selected" : "picker-option"}
              data-testid="interaction-topic-option"
              data-id={topic.id}
              // Keep the focus in the box while the pointer picks.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(topic, false)}
            >
              <bdi className="picker-title">{topic.name}</bdi>
            </li>
          ))}
          {options.length === 0 && (
            <li className="picker-status muted" role="presentation">
              {t("interactions.dialog.noTopicMatches")}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/**
 * No topic to choose: says where an administrator adds them and, for who may keep the list, adds
 * one here and chooses it.
 */
export function NoTopics({ canAdd, onAdded }: { canAdd: boolean; onAdded: (topic: InteractionTopic) => void }) {
  const { t } = useTranslation();
  const nameId = useId();
  const { define, pending } = useDefineTopic();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const nameError = fieldErrorFor(error, "name");

  async function add() {
    if (pending) return;
    try {
      const topic = await define(name);
      setError(null);
      onAdded(topic);
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <div className="no-topics" data-testid="interaction-no-topics">
      <p className="muted">{t("interactions.dialog.noTopics")}</p>
      {canAdd && !adding && (
        <button type="button" className="button" data-testid="interaction-topic-add" onClick={() => setAdding(true)}>
          {t("interactions.dialog.addTopic")}
        </button>
      )}
      {canAdd && adding && (
        <div className="no-topics-add">
          <label htmlFor={nameId} className="visually-hidden">
            {t("interactions.dialog.newTopic")}
          </label>
          <input
            id={nameId}
            className="input"
            data-testid="interaction-topic-new"
            dir="auto"
            autoFocus
            placeholder={t("interactions.dialog.newTopic")}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${nameId}-error` : undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void add();
              }
            }}
          />
          <button type="button" className="button" data-testid="interaction-topic-create" aria-disabled={pending || undefined} onClick={() => void add()}>
            {t("interactions.dialog.createTopic")}
          </button>
          {error && (
            <span id={`${nameId}-error`} className="field-error" role="alert" data-testid="interaction-error-name">
              {nameError ? topicNameError(t, nameError) : errorMessage(t, error)}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
