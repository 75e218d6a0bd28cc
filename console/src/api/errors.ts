// One error type for every failed API call: the API's {"error": {code, message, details}} body, its status
// and Retry-After, plus what the console does with it (kind).

import { parsePrice, type Price } from "../lib/price";
export interface FieldProblem {
  field: string;
  reason?: string;
  message?: string;
}

export type ErrorKind =
  | "upgrade" // a friendly 429 or the monthly allowance: show the upgrade offer
  | "providers" // no CNPJ provider could answer: show which were tried and why, with a retry
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unavailable"
  | "network"
  | "other";

const UPGRADE_CODES = new Set(["rate_limited", "quota_exceeded", "allowance_exceeded"]);

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, details?: unknown, retryAfterSeconds?: number | null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds ?? null;
  }

  /** Build from a response and its already-parsed body (or undefined when it was not JSON). */
  static fromBody(response: Pick<Response, "status" | "headers">, body: unknown): ApiError {
    const error = (body && typeof body === "object" && "error" in body ? (body as { error: unknown }).error : null) as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
    } | null;
    const header = response.headers.get("Retry-After");
    let retryAfter = header && /^\d+$/.test(header) ? Number(header) : null;
    const details = error?.details;
    if (retryAfter === null && details && typeof details === "object" && "retry_after_seconds" in details) {
      const value = (details as { retry_after_seconds?: unknown }).retry_after_seconds;
      retryAfter = typeof value === "number" ? value : null;
    }
    return new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : `http_${response.status}`,
      typeof error?.message === "string" ? error.message : `HTTP ${response.status}`,
      details,
      retryAfter,
    );
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, "network_error", cause instanceof Error ? cause.message : String(cause));
  }

  get kind(): ErrorKind {
    if (this.status === 0) return "network";
    if (this.status === 429 || UPGRADE_CODES.has(this.code)) return "upgrade";
    if (this.code === "providers_unavailable") return "providers";
    if (this.status === 422 || this.status === 400) return "validation";
    if (this.status === 401) return "unauthorized";
    if (this.status === 403) return "forbidden";
    if (this.status === 404) return "not_found";
    if (this.status === 409) return "conflict";
    if (this.status === 503 || this.status === 502 || this.status === 504) return "unavailable";
    return "other";
  }

  /** Field name -> message, from details like [{"field": "cnpj", "reason": ..., "message": ...}]. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem => !!d && typeof d === "object" && typeof (d as FieldProblem).field === "string",
    );
  }

  problemFor(field: string): FieldProblem | undefined {
    return this.fieldProblems.find((p) => p.field === field || p.field.endsWith(`.${field}`));
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

/** The upgrade offer's facts, from any of the three 429 bodies (gateway rate, gateway quota, allowance). */
export interface UpgradeFacts {
  code: string;
  plan: string | null;
  upgradePlan: string | null;
  upgradeUrl: string | null;
  resetsAt: string | null;
  used: number | null;
  allowance: number | null;
  retryAfterSeconds: number | null;
  /** With billing (console/API_NEEDS.md 6): the next plan's price. */
  upgradePrice: Price | null;
}

export function upgradeFacts(error: ApiError): UpgradeFacts {
  const d = (error.details && typeof error.details === "object" ? error.details : {}) as Record<string, unknown>;
  // With billing, the allowance refusal names the next plan as an object: {plan, price, checkout, ...}.
  const upsell = (d.upgrade && typeof d.upgrade === "object" ? d.upgrade : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    code: error.code,
    plan: str(d.plan),
    upgradePlan: str(d.upgrade_plan) ?? str(upsell.plan),
    upgradeUrl: str(d.upgrade_url),
    resetsAt: str(d.resets_at),
    used: num(d.used),
    allowance: num(d.allowance),
    retryAfterSeconds: error.retryAfterSeconds,
    upgradePrice: parsePrice(d.upgrade_price) ?? parsePrice(upsell.price),
  };
}

/** Whether a failed read may pass if asked again: the network, a 5xx, or a 429 (after its Retry-After). */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
}

/** The wait before retry `count` (from 0): the API's Retry-After when it gave one, else 1 s, 2 s, 4 s... */
export function retryDelayMs(count: number, error: unknown): number {
  if (error instanceof ApiError && error.retryAfterSeconds !== null) return error.retryAfterSeconds * 1000;
  return Math.min(30_000, 1000 * 2 ** count);
}
