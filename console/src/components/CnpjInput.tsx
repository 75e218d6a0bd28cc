// The CNPJ field: accepts masked or bare, numeric or alphanumeric; formats as the user types (the caret stays
// where it was); validates the check digits once 14 characters are in, or on blur; shows the API's own
// verdict (`serverError`) next to the field when the server disagrees.
import { useLayoutEffect, useRef, useState, type ChangeEvent } from "react";
import { useI18n } from "../i18n";
import { applyCnpjMask, CNPJ_LENGTH, validateCnpj } from "../lib/cnpj";

export interface CnpjInputProps {
  id: string;
  label: string;
  /** The accepted characters (bare, uppercase, at most 14). */
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  serverError?: string | null;
  /** Set by the form on submit, so an incomplete value is reported even before blur. */
  showErrors?: boolean;
  autoFocus?: boolean;
}

export function cnpjMessage(value: string, t: ReturnType<typeof useI18n>["t"]): string | null {
  const result = validateCnpj(value);
  if (result.ok) return null;
  if (result.reason === "wrong_length") return t("cnpj.wrong_length", { missing: CNPJ_LENGTH - value.length });
  return t(`cnpj.${result.reason}`);
}

export function CnpjInput({ id, label, value, onChange, hint, serverError, showErrors, autoFocus }: CnpjInputProps) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  const [touched, setTouched] = useState(false);
  const [dropped, setDropped] = useState(false);
  const display = applyCnpjMask(value).display;

  useLayoutEffect(() => {
    if (caret.current !== null && input.current && document.activeElement === input.current) {
      input.current.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  });

  const handle = (event: ChangeEvent<HTMLInputElement>) => {
    const edit = applyCnpjMask(event.target.value, event.target.selectionStart ?? event.target.value.length);
    caret.current = edit.caret;
    setDropped(edit.rejected);
    onChange(edit.value);
  };

  const complete = value.length === CNPJ_LENGTH;
  const local = (touched || complete || showErrors) && value.length > 0 ? cnpjMessage(value, t) : null;
  const emptyError = showErrors && value.length === 0 ? t("cnpj.empty") : null;
  const error = serverError || local || emptyError;
  const valid = complete && !local && !serverError;
  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;

  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        name="cnpj"
        className="input cnpj-input"
        value={display}
        onChange={handle}
        onBlur={() => setTouched(true)}
        inputMode="text"
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        placeholder="00.000.000/0000-00"
        maxLength={24}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${hintId} ${statusId}`}
        autoFocus={autoFocus}
        data-testid="cnpj-input"
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <p id={statusId} className={error ? "field-error" : valid ? "field-ok" : "hint"} aria-live="polite" data-testid="cnpj-status">
        {error ?? (valid ? t("cnpj.valid") : dropped ? t("cnpj.dropped") : "")}
      </p>
    </div>
  );
}
