// The plans, from the same tiers file the API and the CDK app read (layers/radar/python/radar/tiers.json),
// bundled at build time; when the API has its catalogue (GET /billing/plans, console/API_NEEDS.md 6), the plan
// page reads that instead, with prices (plansFromApi).
import tiers from "../../../layers/radar/python/radar/tiers.json";
import { parsePrice, type Price } from "./price";

export interface PlanInfo {
  name: string;
  displayName: string;
  monthlyChecks: number;
  rate: number;
  burst: number;
  retentionDays: number;
  price?: Price | null;
}

interface TierRow {
  display_name?: string;
  monthly_checks: number;
  rate: number;
  burst: number;
  retention_days: number;
}

export const PLANS: PlanInfo[] = Object.entries(tiers.tiers as Record<string, TierRow>)
  .map(([name, tier]) => ({
    name,
    displayName: tier.display_name ?? name,
    monthlyChecks: tier.monthly_checks,
    rate: tier.rate,
    burst: tier.burst,
    retentionDays: tier.retention_days,
  }))
  .sort((a, b) => a.monthlyChecks - b.monthlyChecks);

export const planInfo = (name: string | null | undefined): PlanInfo | null => PLANS.find((p) => p.name === name) ?? null;

export function nextPlan(name: string | null | undefined): PlanInfo | null {
  const index = PLANS.findIndex((p) => p.name === name);
  return index >= 0 ? (PLANS[index + 1] ?? null) : null;
}

/** GET /billing/plans's body -> the plans, cheapest first; a malformed entry is left out, not guessed. The list is
 * `items` (or `plans`), each named by `plan` (or `name`), its price in either shape parsePrice reads. */
export function plansFromApi(body: unknown): PlanInfo[] {
  const raw = body as { items?: unknown; plans?: unknown } | null;
  const plans = raw?.items ?? raw?.plans;
  if (!Array.isArray(plans)) return [];
  const found: PlanInfo[] = [];
  for (const entry of plans as Record<string, unknown>[]) {
    const limits = (entry?.limits ?? {}) as Record<string, unknown>;
    const monthly = Number(limits.monthly_checks);
    const name = typeof entry?.plan === "string" ? entry.plan : entry?.name;
    if (typeof name !== "string" || !name || !Number.isFinite(monthly)) continue;
    found.push({
      name,
      displayName: typeof entry.display_name === "string" ? entry.display_name : name,
      monthlyChecks: monthly,
      rate: Number(limits.rate ?? 0),
      burst: Number(limits.burst ?? 0),
      retentionDays: Number(limits.retention_days ?? 0),
      price: parsePrice(entry.price),
    });
  }
  return found.sort((a, b) => a.monthlyChecks - b.monthlyChecks);
}
