// Shapes the contract does not name yet: docs/openapi.json types `report`, `diff` and `errors` as free
// objects (issue 16 will export them as schemas). These follow radar/report.py, radar/checks/diff.py and
// radar/connector.py; when the spec names them, `make console-types` brings the real ones and these go.
import type { components } from "./schema.gen";

export type Schemas = components["schemas"];
export type Target = Schemas["TargetOut"];
export type Check = Schemas["CheckOut"];
export type Batch = Schemas["BatchOut"];
export type Usage = Schemas["UsageOut"];
export type Tenant = Schemas["TenantView"];
export type ApiKey = Schemas["ApiKeyView"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type User = Schemas["UserView"];
export type TokenResponse = Schemas["TokenResponse"];

export type RegistrationStatus = "ATIVA" | "BAIXADA" | "INAPTA" | "SUSPENSA" | "NULA";
export type CompanySize = "MICRO_EMPRESA" | "EMPRESA_DE_PEQUENO_PORTE" | "DEMAIS";
export type Role = "admin" | "analyst" | "viewer";
export const ROLES: readonly Role[] = ["admin", "analyst", "viewer"];
export const ROLE_RANK: Record<string, number> = { viewer: 1, analyst: 2, admin: 3 };

export interface Address {
  street_type?: string | null;
  street?: string | null;
  number?: string | null;
  complement?: string | null;
  district?: string | null;
  zip_code?: string | null;
  city?: string | null;
  city_ibge_code?: string | null;
  state?: string | null;
  country?: string | null;
}

export interface Partner {
  name?: string | null;
  document?: string | null;
  kind?: "PF" | "PJ" | "FOREIGN" | null;
  role?: string | null;
  role_code?: string | null;
  joined_on?: string | null;
  age_range?: string | null;
  country?: string | null;
}

export interface Report {
  cnpj: string;
  cnpj_formatted: string;
  legal_name?: string | null;
  trade_name?: string | null;
  status?: RegistrationStatus | null;
  status_date?: string | null;
  status_reason?: string | null;
  opened_on?: string | null;
  head_office?: boolean | null;
  main_cnae?: string | null;
  main_cnae_description?: string | null;
  secondary_cnaes?: string[];
  /** With descriptions, when the API sends them (console/API_NEEDS.md 9). */
  secondary_cnae_details?: { code: string; description?: string | null }[] | null;
  legal_nature?: { code?: string | null; description?: string | null } | null;
  size?: CompanySize | null;
  share_capital?: string | null;
  address?: Address | null;
  contact?: { phones?: string[]; email?: string | null } | null;
  simples?: boolean | null;
  mei?: boolean | null;
  tax_option_dates?: {
    simples_opted_on?: string | null;
    simples_excluded_on?: string | null;
    mei_opted_on?: string | null;
    mei_excluded_on?: string | null;
  } | null;
  partners?: Partner[];
  state_registrations?: { number: string; state?: string | null; active?: boolean | null; updated_at?: string | null }[];
  source: string;
  fetched_at: string;
  source_updated_at?: string | null;
  partial?: boolean;
  partial_reasons?: string[];
  personal_data_redacted?: boolean;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ReportDiff {
  baseline: boolean;
  previous_check_id: string | null;
  changes: FieldChange[];
  partners_in: Partner[];
  partners_out: Partner[];
  changed: boolean;
}

export type ProviderOutcome = "ok" | "not_found" | "invalid" | "rate_limited" | "circuit_open" | "transient" | "error";

export interface ProviderAttempt {
  provider: string | null;
  outcome: ProviderOutcome | string;
  status?: number | null;
  message?: string;
  duration_ms?: number;
}

export const FINAL_STATUSES = new Set(["succeeded", "failed"]);
export const isFinal = (check: Pick<Check, "status">) => FINAL_STATUSES.has(check.status);
export const reportOf = (check: Check | undefined | null): Report | null => (check?.report as Report | null) ?? null;
export const diffOf = (check: Check | undefined | null): ReportDiff | null => (check?.diff as ReportDiff | null) ?? null;
export const attemptsOf = (check: Check | undefined | null): ProviderAttempt[] =>
  ((check?.errors as ProviderAttempt[] | null) ?? []).filter((a) => a && typeof a.outcome === "string");
