import type { InputHTMLAttributes, RefObject } from "react";

/**
 * The box a code from an authenticator app (or a recovery code) is typed in: left to right in
 * every language, digits on a phone's keyboard, offered by the OS's one-time-code autofill.
 */
export function OneTimeCodeInput({
  control,
  inputRef,
  testId,
  value,
  onChange,
}: {
  /** What `Field` hands its control (id, aria attributes). */
  control: InputHTMLAttributes<HTMLInputElement>;
  inputRef: RefObject<HTMLInputElement | null>;
  testId: string;
  value: string;
  onChange: (code: string) => void;
}) {
  return (
    <input
      {...control}
      ref={inputRef}
      className="input code-input"
      name="one-time-code"
      dir="ltr"
      inputMode="numeric"
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      autoFocus
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
