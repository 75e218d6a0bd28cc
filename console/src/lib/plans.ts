// The plans, from the same tiers file the API and the CDK app read (layers/radar/python/radar/tiers.json),
// bundled at build time: the API has no plan catalogue yet (GET /billing/plans, console/API_NEEDS.md 5).
import tiers from "../../../layers/radar/python/radar/tiers.json";

export interface PlanInfo {
  name: string;
  displayName: string;
  monthlyChecks: number;
  rate: number;
  burst: number;
  retentionDays: number;
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
