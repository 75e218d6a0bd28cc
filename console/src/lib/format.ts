// Display formats for Brazilian company data. Dates are dd/mm/aaaa in both languages (the records are
// Brazilian); money is BRL; CNAEs are 0000-0/00; documents are shown masked.

export type Locale = "pt-BR" | "en";

const intlLocale = (locale: Locale) => (locale === "pt-BR" ? "pt-BR" : "en-GB");

/** A calendar date (YYYY-MM-DD, no time zone) as dd/mm/aaaa; anything else is returned as it came. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  // A bare date is a calendar day: formatting it through Date would shift it by the time zone.
  if (value.length === 10) return `${m[3]}/${m[2]}/${m[1]}`;
  return formatDateTime(value).slice(0, 10);
}

/** An instant (ISO 8601) as dd/mm/aaaa hh:mm in the browser's time zone. */
export function formatDateTime(value: string | null | undefined, locale: Locale = "pt-BR"): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = new Intl.DateTimeFormat(intlLocale(locale), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")}/${get("month")}/${get("year")} ${get("hour")}:${get("minute")}`;
}

/**
 * A decimal string ("1234567.80") as BRL, exactly: the integer part is grouped as text, never through a
 * float, so capital in the billions keeps every centavo.
 */
export function formatBRL(value: string | number | null | undefined, locale: Locale = "pt-BR"): string {
  if (value === null || value === undefined || value === "") return "";
  const text = typeof value === "number" ? value.toFixed(2) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign, whole = "0", frac = ""] = m;
  const cents = (frac + "00").slice(0, 2);
  const [group, decimal] = locale === "pt-BR" ? [".", ","] : [",", "."];
  const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}R$ ${grouped}${decimal}${cents}`;
}

/** An integer with the locale's grouping. */
export function formatNumber(value: number, locale: Locale = "pt-BR"): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

/** A CNAE subclass code (7 digits) as 0000-0/00. */
export function formatCnae(code: string | null | undefined): string {
  if (!code) return "";
  const m = /^(\d{4})(\d)(\d{2})$/.exec(code);
  return m ? `${m[1]}-${m[2]}/${m[3]}` : code;
}

/**
 * A partner's document for display, never more than the register publishes: a CPF shows only its six middle
 * digits (***.123.456-**), whether it came masked (***123456**) or, by mistake, in full; a company's CNPJ is
 * public and is formatted.
 */
export function maskDocument(value: string | null | undefined): string {
  if (!value) return "";
  const raw = value.replace(/[.\-/\s]/g, "").toUpperCase();
  if (/^[*\d]{11}$/.test(raw)) {
    const middle = raw.slice(3, 9);
    return /^\d{6}$/.test(middle) ? `***.${middle.slice(0, 3)}.${middle.slice(3)}-**` : "***.***.***-**";
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(raw)) {
    return `${raw.slice(0, 2)}.${raw.slice(2, 5)}.${raw.slice(5, 8)}/${raw.slice(8, 12)}-${raw.slice(12)}`;
  }
  // Unknown shapes: keep only what is already masked, hide every digit.
  return raw.replace(/\d/g, "*");
}

/** A CEP (8 digits) as 00000-000. */
export function formatCep(value: string | null | undefined): string {
  if (!value) return "";
  return /^\d{8}$/.test(value) ? `${value.slice(0, 5)}-${value.slice(5)}` : value;
}

/** Seconds as "1 min 05 s" style text for ETAs. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(rest).padStart(2, "0")} s`;
  return `${rest} s`;
}

/** A Brazilian phone with its area code: (71) 2659-8082, (11) 98765-4321; anything else as it came. */
export function formatPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  const m = /^(\d{2})(\d{4,5})(\d{4})$/.exec(digits);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : value;
}

/** An id without its kind prefix, short enough to read ("chk_8ddb1f..." -> "8ddb1f2a"). */
export function shortId(id: string): string {
  return id.replace(/^[a-z]+_/, "").slice(0, 8);
}
