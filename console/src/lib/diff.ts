// A report diff (radar/checks/diff.py: dotted field paths with from/to, partners in and out) turned into rows a
// person reads: field names in words, values in the same formats as the report, and what kind of change it is.
import { hasKey, type Translate } from "../i18n";
import type { MessageKey } from "../i18n";
import type { Partner, ReportDiff } from "../api/types";
import { formatBRL, formatCep, formatCnae, formatDate, maskDocument, type Locale } from "./format";

export type ChangeKind = "added" | "removed" | "changed";

export interface DiffRow {
  field: string;
  label: string;
  from: string;
  to: string;
  kind: ChangeKind;
}

export interface PartnerRow {
  name: string;
  document: string;
  role: string;
}

export interface DiffView {
  baseline: boolean;
  changed: boolean;
  rows: DiffRow[];
  partnersIn: PartnerRow[];
  partnersOut: PartnerRow[];
  count: number;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  legal_name: "report.legalName",
  trade_name: "report.tradeName",
  status: "report.status",
  status_date: "report.statusDate",
  status_reason: "report.statusReason",
  opened_on: "report.openedOn",
  head_office: "report.headOffice",
  main_cnae: "report.mainCnae",
  main_cnae_description: "report.mainCnae",
  secondary_cnaes: "report.secondaryCnaes",
  "legal_nature.code": "report.legalNature",
  "legal_nature.description": "report.legalNature",
  size: "report.size",
  share_capital: "report.capital",
  simples: "report.simples",
  mei: "report.mei",
  legal_nature: "report.legalNature",
  address: "report.address",
  contact: "report.contact",
  tax_option_dates: "report.taxRegime",
  "contact.phones": "report.phones",
  "contact.email": "report.email",
};

const ADDRESS_PARTS: Record<string, string> = {
  street_type: "logradouro (tipo)",
  street: "logradouro",
  number: "número",
  complement: "complemento",
  district: "bairro",
  zip_code: "CEP",
  city: "município",
  city_ibge_code: "código IBGE",
  state: "UF",
  country: "país",
};
const ADDRESS_PARTS_EN: Record<string, string> = {
  street_type: "street type",
  street: "street",
  number: "number",
  complement: "complement",
  district: "district",
  zip_code: "CEP",
  city: "city",
  city_ibge_code: "IBGE code",
  state: "state",
  country: "country",
};

const DATE_FIELDS = /(^|\.)(status_date|opened_on|joined_on|[a-z_]+_on)$/;

export function fieldLabel(field: string, t: Translate, locale: Locale): string {
  const known = FIELD_LABELS[field];
  if (known) {
    const base = t(known);
    if (field.endsWith(".code")) return `${base} (${locale === "pt-BR" ? "código" : "code"})`;
    if (field === "main_cnae_description") return `${base} (${locale === "pt-BR" ? "descrição" : "description"})`;
    return base;
  }
  if (field.startsWith("address.")) {
    const part = field.slice("address.".length);
    const parts = locale === "pt-BR" ? ADDRESS_PARTS : ADDRESS_PARTS_EN;
    return `${t("report.address")}: ${parts[part] ?? part}`;
  }
  if (field.startsWith("tax_option_dates.")) return `${t("report.taxRegime")}: ${field.split(".")[1]}`;
  return field;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

export function formatValue(field: string, value: unknown, t: Translate, locale: Locale): string {
  if (isEmpty(value)) return t("history.empty.value");
  if (Array.isArray(value)) {
    return value.map((v) => (field === "secondary_cnaes" ? formatCnae(String(v)) : formatValue("", v, t, locale))).join(", ");
  }
  if (typeof value === "boolean") {
    if (field === "head_office") return t(value ? "report.headOffice.true" : "report.headOffice.false");
    return t(value ? "app.yes" : "app.no");
  }
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (field === "share_capital") return formatBRL(text, locale);
  if (field === "main_cnae") return formatCnae(text);
  const keyed = (key: string) => (hasKey(key) ? t(key) : text);
  if (field === "status") return keyed(`status.${text}`);
  if (field === "size") return keyed(`report.size.${text}`);
  if (field === "address.zip_code") return formatCep(text);
  if (DATE_FIELDS.test(field)) return formatDate(text);
  return text;
}

export function partnerRow(partner: Partner): PartnerRow {
  return { name: partner.name ?? "", document: maskDocument(partner.document), role: partner.role ?? "" };
}

export function describeDiff(diff: ReportDiff | null | undefined, t: Translate, locale: Locale): DiffView | null {
  if (!diff) return null;
  const rows: DiffRow[] = (diff.changes ?? []).map((change) => ({
    field: change.field,
    label: fieldLabel(change.field, t, locale),
    from: formatValue(change.field, change.from, t, locale),
    to: formatValue(change.field, change.to, t, locale),
    kind: isEmpty(change.from) ? "added" : isEmpty(change.to) ? "removed" : "changed",
  }));
  const partnersIn = (diff.partners_in ?? []).map(partnerRow);
  const partnersOut = (diff.partners_out ?? []).map(partnerRow);
  return {
    baseline: !!diff.baseline,
    changed: rows.length + partnersIn.length + partnersOut.length > 0,
    rows,
    partnersIn,
    partnersOut,
    count: rows.length + partnersIn.length + partnersOut.length,
  };
}
