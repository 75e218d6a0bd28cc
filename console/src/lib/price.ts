// A plan's price as the API sends it: `{amount: "199.00", currency: "BRL", interval}` (console/API_NEEDS.md 6) or
// the billing branch's `{unit_amount: 19900, currency: "brl", interval}` (in centavos, Stripe's way).
export interface Price {
  amount: string;
  currency: string;
  interval: string;
}

export function parsePrice(value: unknown): Price | null {
  if (!value || typeof value !== "object") return null;
  const { amount, unit_amount: unitAmount, currency, interval } = value as Record<string, unknown>;
  if (typeof currency !== "string" || !currency) return null;
  const every = typeof interval === "string" && interval ? interval : "month";
  if (typeof amount === "string" && amount) return { amount, currency: currency.toUpperCase(), interval: every };
  if (typeof unitAmount === "number" && Number.isInteger(unitAmount) && unitAmount >= 0) {
    return { amount: (unitAmount / 100).toFixed(2), currency: currency.toUpperCase(), interval: every };
  }
  return null;
}
