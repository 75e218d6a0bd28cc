import { describe, expect, it } from "vitest";
import { nextPlan, PLANS, plansFromApi } from "./plans";

describe("plans", () => {
  it("bundles the tiers file, cheapest first, each with a next plan but the last", () => {
    expect(PLANS.length).toBeGreaterThan(1);
    const checks = PLANS.map((p) => p.monthlyChecks);
    expect([...checks].sort((a, b) => a - b)).toEqual(checks);
    expect(nextPlan(PLANS[0]!.name)?.name).toBe(PLANS[1]!.name);
    expect(nextPlan(PLANS[PLANS.length - 1]!.name)).toBeNull();
  });

  it("reads GET /billing/plans with prices, sorted, leaving out what it cannot read", () => {
    const plans = plansFromApi({
      plans: [
        { name: "pro", display_name: "Pro", price: { amount: "199.00", currency: "BRL", interval: "month" },
          limits: { monthly_checks: 5000, rate: 10, burst: 20, retention_days: 365 } },
        { name: "free", display_name: "Grátis", price: null, limits: { monthly_checks: 100, rate: 1, burst: 2, retention_days: 30 } },
        { name: "broken", limits: {} },
        { display_name: "no name", limits: { monthly_checks: 1 } },
      ],
    });
    expect(plans.map((p) => p.name)).toEqual(["free", "pro"]);
    expect(plans[1]).toEqual({
      name: "pro", displayName: "Pro", monthlyChecks: 5000, rate: 10, burst: 20, retentionDays: 365,
      price: { amount: "199.00", currency: "BRL", interval: "month" },
    });
    expect(plans[0]!.price).toBeNull();
    expect(plansFromApi({})).toEqual([]);
    // The billing branch's shape: `items`, `plan`, the price in centavos.
    const billing = plansFromApi({
      default_plan: "free",
      items: [
        { plan: "pro", display_name: "Pro", price: { currency: "brl", unit_amount: 19900, interval: "month" },
          limits: { monthly_checks: 5000, rate: 10, burst: 20, retention_days: 365 }, checkout: "POST /billing/checkout" },
        { plan: "free", display_name: "Free", price: null, limits: { monthly_checks: 100, rate: 1, burst: 2, retention_days: 30 } },
      ],
    });
    expect(billing.map((p) => [p.name, p.price])).toEqual([
      ["free", null],
      ["pro", { amount: "199.00", currency: "BRL", interval: "month" }],
    ]);
    expect(plansFromApi(null)).toEqual([]);
  });
});
