// Window-wide keyboard shortcuts. Ctrl and ⌘ are treated alike.

import { useEffect, useEffectEvent } from "react";

export type KeyMatcher = (e: KeyboardEvent) => boolean;

const primary = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;

/** Ctrl+<key> (or ⌘+<key>), without Alt or Shift (Ctrl+Shift+<key> is a shortcut of its own). */
export const ctrl =
  (key: string): KeyMatcher =>
  (e) =>
    primary(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === key;

/** Ctrl+Shift+<key> (or ⌘⇧<key>), by physical key so that any keyboard layout works. */
export const ctrlShift =
  (code: string): KeyMatcher =>
  (e) =>
    primary(e) && e.shiftKey && !e.altKey && e.code === code;

/** Alt+<key>, by physical key so that any keyboard layout works. */
export const alt =
  (code: string): KeyMatcher =>
  (e) =>
    e.altKey && !primary(e) && e.code === code;

export const anyOf =
  (...matchers: KeyMatcher[]): KeyMatcher =>
  (e) =>
    matchers.some((m) => m(e));

/** The user is typing in a text control, so plain keys belong to it. */
export function isTyping(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

export const MATCH = {
  palette: ctrl("k"),
  newOrganisation: anyOf(ctrl("n"), alt("KeyN")),
  logInteraction: anyOf(ctrl("l"), alt("KeyL")),
  scheduleContact: ctrlShift("KeyL"),
  newTask: ctrlShift("KeyT"),
  save: ctrl("s"),
  escape: ((e) => e.key === "Escape") as KeyMatcher,
  focusSearch: ((e) => e.key === "/" && !primary(e) && !e.altKey && !isTyping(e)) as KeyMatcher,
};

/** Calls `handler` (and prevents the browser's default) when `matcher` matches a keydown. */
export function useShortcut(matcher: KeyMatcher, handler: (e: KeyboardEvent) => void, enabled = true): void {
  const onMatch = useEffectEvent(handler);
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !matcher(e)) return;
      e.preventDefault();
      onMatch(e);
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, [matcher, enabled]);
}
