// CNPJ rules as the API applies them (layers/radar/python/radar/cnpj.py): masked or bare, numeric or
// alphanumeric (IN RFB 2.229/2024), check digits by ASCII-48 mod 11. The console validates before sending, so
// a typo is caught as the user types; the API stays the authority and its answer is shown next to the field.

export type CnpjProblem =
  | "empty"
  | "invalid_characters"
  | "wrong_length"
  | "non_numeric_check_digits"
  | "repeated_character"
  | "wrong_check_digits";

export type CnpjValidation = { ok: true; value: string; formatted: string } | { ok: false; reason: CnpjProblem };

const MASK_CHARS = /[.\-/\s]/g;
const WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
export const CNPJ_LENGTH = 14;

function digit(chars: string, weights: number[]): number {
  // Each character is worth its ASCII code minus 48: digits keep 0..9, letters A..Z become 17..42.
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += (chars.charCodeAt(i) - 48) * (weights[i] ?? 0);
  const rest = total % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** The two check digits of a 12-character uppercase body ([0-9A-Z]). */
export function checkDigits(body: string): string {
  if (!/^[0-9A-Z]{12}$/.test(body)) throw new Error("body must be 12 characters in [0-9A-Z]");
  const first = digit(body, WEIGHTS_1);
  const second = digit(body + String(first), WEIGHTS_2);
  return `${first}${second}`;
}

/** Strip the mask (dots, dash, slash, spaces) and uppercase, as the API does. */
export function stripCnpj(raw: string): string {
  return raw.trim().replace(MASK_CHARS, "").toUpperCase();
}

/** AA.AAA.AAA/AAAA-NN for a complete value; a prefix is masked as far as it goes (for live formatting). */
export function formatCnpj(value: string): string {
  const v = value.slice(0, CNPJ_LENGTH);
  const parts: [number, number, string][] = [
    [0, 2, ""],
    [2, 5, "."],
    [5, 8, "."],
    [8, 12, "/"],
    [12, 14, "-"],
  ];
  let out = "";
  for (const [start, end, sep] of parts) {
    if (v.length <= start) break;
    out += sep + v.slice(start, end);
  }
  return out;
}

/** The same checks, in the same order, as radar.cnpj.parse_cnpj; `reason` uses the API's names. */
export function validateCnpj(raw: string): CnpjValidation {
  const value = stripCnpj(raw);
  if (value.length === 0) return { ok: false, reason: "empty" };
  if (value.length !== CNPJ_LENGTH) {
    return { ok: false, reason: /^[0-9A-Z]*$/.test(value) ? "wrong_length" : "invalid_characters" };
  }
  if (!/^[0-9A-Z]{14}$/.test(value)) return { ok: false, reason: "invalid_characters" };
  if (!/^\d{2}$/.test(value.slice(12))) return { ok: false, reason: "non_numeric_check_digits" };
  if (new Set(value).size === 1) return { ok: false, reason: "repeated_character" };
  if (checkDigits(value.slice(0, 12)) !== value.slice(12)) return { ok: false, reason: "wrong_check_digits" };
  return { ok: true, value, formatted: formatCnpj(value) };
}

export interface MaskedEdit {
  /** What the input shows: the accepted characters with the mask applied. */
  display: string;
  /** The accepted characters alone (at most 14, uppercase). */
  value: string;
  /** Where the caret goes in `display`. */
  caret: number;
  /** True when the edit contained characters a CNPJ cannot have (they were left out). */
  rejected: boolean;
}

const ACCEPTED = /[0-9A-Za-z]/;

/**
 * Live formatting: take what the input holds after an edit (typed, pasted, deleted) and the caret position,
 * keep the characters a CNPJ can have (mask characters are dropped silently, anything else is reported),
 * and put the caret after the same number of accepted characters as before.
 */
export function applyCnpjMask(input: string, caret: number = input.length): MaskedEdit {
  let value = "";
  let before = 0;
  let rejected = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? "";
    if (ACCEPTED.test(ch)) {
      if (value.length < CNPJ_LENGTH) {
        value += ch.toUpperCase();
        if (i < caret) before = value.length;
      }
    } else if (!/[.\-/\s]/.test(ch)) {
      rejected = true;
    }
  }
  const display = formatCnpj(value);
  return { display, value, caret: caretFor(display, before), rejected };
}

function caretFor(display: string, accepted: number): number {
  if (accepted === 0) return 0;
  let seen = 0;
  for (let i = 0; i < display.length; i++) {
    if (ACCEPTED.test(display[i] ?? "")) seen++;
    if (seen === accepted) return i + 1;
  }
  return display.length;
}
