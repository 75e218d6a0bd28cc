import { describe, expect, it } from "vitest";
import { ApiError, isRetryable, retryDelayMs, upgradeFacts } from "./errors";

const response = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });

describe("API errors", () => {
  it("the gateway's friendly 429 is an upgrade offer, with its Retry-After", () => {
    const body = {
      error: {
        code: "rate_limited",
        message: "Too many requests per second for the free plan.",
        details: { limit: "requests_per_second", plan: "free", upgrade_url: "https://x.example/pricing" },
      },
    };
    const error = ApiError.fromBody(response(429, { "Retry-After": "1" }), body);
    expect(error.kind).toBe("upgrade");
    expect(error.retryAfterSeconds).toBe(1);
    expect(upgradeFacts(error)).toMatchObject({ code: "rate_limited", plan: "free", upgradePlan: null, upgradePrice: null });
  });

  it("the allowance refusal names the next plan, and its price once billing sends it", () => {
    const details = {
      limit: "monthly_checks",
      used: 100,
      allowance: 100,
      resets_at: "2026-08-01T00:00:00Z",
      upgrade_plan: "pro",
      upgrade_price: { amount: "199.00", currency: "BRL", interval: "month" },
    };
    const error = ApiError.fromBody(response(429), { error: { code: "allowance_exceeded", message: "used up", details } });
    expect(upgradeFacts(error)).toMatchObject({
      used: 100,
      allowance: 100,
      upgradePlan: "pro",
      upgradePrice: { amount: "199.00", currency: "BRL", interval: "month" },
    });
  });

  it("reads the billing branch's upsell object too: the next plan and its price in centavos", () => {
    const details = {
      used: 100,
      allowance: 100,
      upgrade: { plan: "pro", display_name: "Pro", price: { currency: "brl", unit_amount: 19900, interval: "month" } },
    };
    const error = ApiError.fromBody(response(429), { error: { code: "allowance_exceeded", message: "used up", details } });
    expect(upgradeFacts(error)).toMatchObject({ upgradePlan: "pro", upgradePrice: { amount: "199.00", currency: "BRL", interval: "month" } });
    const refused = ApiError.fromBody(response(429), { error: { code: "allowance_exceeded", message: "x", details: { upgrade: { price: { unit_amount: 1.5 } } } } });
    expect(upgradeFacts(refused).upgradePrice).toBeNull();
  });

  it("providers_unavailable keeps the attempts and the retry hint from the details", () => {
    const details = { check_id: "chk_1", errors: [{ provider: "cnpjws", outcome: "transient" }], retry_after_seconds: 30 };
    const error = ApiError.fromBody(response(503), { error: { code: "providers_unavailable", message: "x", details } });
    expect(error.kind).toBe("providers");
    expect(error.retryAfterSeconds).toBe(30);
  });

  it("field problems come from details, and a body that is not the API's still gives a status", () => {
    const error = ApiError.fromBody(response(422), {
      error: { code: "invalid_cnpj", message: "bad", details: [{ field: "cnpj", reason: "wrong_check_digits", message: "no" }] },
    });
    expect(error.problemFor("cnpj")?.reason).toBe("wrong_check_digits");
    expect(error.problemFor("label")).toBeUndefined();
    const raw = ApiError.fromBody(response(502), "<html>Bad gateway</html>");
    expect([raw.code, raw.kind]).toEqual(["http_502", "unavailable"]);
  });
});

describe("retries of reads", () => {
  it("retry the network, 5xx and 429 (after Retry-After), never another 4xx", () => {
    const limited = ApiError.fromBody(response(429, { "Retry-After": "3" }), { error: { code: "rate_limited", message: "" } });
    expect(isRetryable(limited)).toBe(true);
    expect(retryDelayMs(0, limited)).toBe(3000);
    expect(isRetryable(ApiError.network(new TypeError("offline")))).toBe(true);
    expect(isRetryable(ApiError.fromBody(response(503), {}))).toBe(true);
    expect(isRetryable(ApiError.fromBody(response(404), {}))).toBe(false);
    expect(isRetryable(new Error("bug"))).toBe(false);
    expect([0, 1, 2, 9].map((n) => retryDelayMs(n, ApiError.fromBody(response(500), {})))).toEqual([1000, 2000, 4000, 30000]);
  });
});
