// The tenant's plan and every plan's limits; change plan with PUT /tenant/plan today, or through billing
// checkout when the API has it; the catalogue with prices from GET /billing/plans when it is there
// (console/API_NEEDS.md 6), else the bundled tiers file.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { toast } from "sonner";
import { api, call, untypedCall } from "../../api/client";
import { FEATURES } from "../../api/features";
import { ErrorNotice } from "../../components/errors";
import { Facts, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n } from "../../i18n";
import { formatBRL, formatNumber } from "../../lib/format";
import { PLANS, plansFromApi, type PlanInfo } from "../../lib/plans";

function usePlans(): { plans: PlanInfo[]; pending: boolean; error: unknown } {
  const catalogue = useQuery({
    queryKey: ["billing-plans"],
    queryFn: async () => plansFromApi(await untypedCall<unknown>("GET", "/billing/plans")),
    enabled: FEATURES.billingPlans,
    staleTime: 5 * 60_000,
  });
  if (!FEATURES.billingPlans) return { plans: PLANS, pending: false, error: null };
  return { plans: catalogue.data?.length ? catalogue.data : PLANS, pending: catalogue.isPending, error: catalogue.error };
}

export default function PlanPage() {
  const { t, locale } = useI18n();
  useTitle("plan.title");
  const [params] = useSearchParams();
  const highlight = params.get("highlight");
  const queryClient = useQueryClient();
  const tenant = useQuery({ queryKey: ["tenant"], queryFn: () => call(api.GET("/tenant")) });
  const catalogue = usePlans();
  const byName = (name: string | null | undefined) => catalogue.plans.find((p) => p.name === name) ?? null;
  const current = tenant.data ? byName(tenant.data.plan) : null;
  const change = useMutation({
    mutationFn: async (plan: PlanInfo) => {
      const upgrade = current && plan.monthlyChecks > current.monthlyChecks;
      if (upgrade && FEATURES.billingCheckout) {
        const session = await untypedCall<{ url: string }>("POST", "/billing/checkout", { plan: plan.name });
        window.location.assign(session.url);
        return null;
      }
      return call(api.PUT("/tenant/plan", { body: { plan: plan.name } }));
    },
    onSuccess: (updated) => {
      if (!updated) return;
      queryClient.setQueryData(["tenant"], updated);
      void queryClient.invalidateQueries({ queryKey: ["usage"] });
      toast.success(t("plan.changed", { plan: byName(updated.plan)?.displayName ?? updated.plan }));
    },
  });
  const portal = useMutation({
    mutationFn: () => untypedCall<{ url: string }>("POST", "/billing/portal"),
    onSuccess: (session) => window.location.assign(session.url),
  });
  const n = (v: number) => formatNumber(v, locale);

  if (tenant.isPending || catalogue.pending) return <Skeleton lines={6} />;
  if (tenant.isError) return <ErrorNotice error={tenant.error} onRetry={() => void tenant.refetch()} />;
  return (
    <>
      <PageTitle>{t("plan.title")}</PageTitle>
      <p data-testid="current-plan" data-plan={tenant.data.plan}>
        {t("plan.current", { plan: current?.displayName ?? tenant.data.plan })}
      </p>
      {!FEATURES.billingCheckout && <p className="notice notice-info">{t("plan.billingNote")}</p>}
      {FEATURES.billingPortal && (
        <button type="button" className="button secondary" onClick={() => portal.mutate()}>
          {t("plan.portal")}
        </button>
      )}
      {change.isError && <ErrorNotice error={change.error} />}
      {portal.isError && <ErrorNotice error={portal.error} />}
      <div className="plans" data-testid="plans">
        {catalogue.plans.map((plan) => {
          const isCurrent = plan.name === tenant.data.plan;
          const upgrade = current ? plan.monthlyChecks > current.monthlyChecks : true;
          return (
            <section
              key={plan.name}
              className={`card plan${isCurrent ? " current" : ""}${highlight === plan.name ? " highlight" : ""}`}
              aria-labelledby={`plan-${plan.name}`}
              data-plan={plan.name}
            >
              <h2 id={`plan-${plan.name}`}>{plan.displayName}</h2>
              {isCurrent && <span className="badge badge-ok">{t("plan.currentBadge")}</span>}
              {plan.price && (
                <p className="plan-price" data-testid={`price-${plan.name}`}>
                  {plan.price.currency === "BRL" ? formatBRL(plan.price.amount, locale) : `${plan.price.amount} ${plan.price.currency}`}
                  {" "}
                  {t("plan.perInterval", { interval: t(plan.price.interval === "year" ? "plan.year" : "plan.month") })}
                </p>
              )}
              <Facts
                items={[
                  [t("plan.monthly"), n(plan.monthlyChecks)],
                  [t("plan.rate"), n(plan.rate)],
                  [t("plan.burst"), n(plan.burst)],
                  [t("plan.retention"), n(plan.retentionDays)],
                ]}
              />
              {!isCurrent && (
                <button
                  type="button"
                  className={`button ${upgrade ? "primary" : "secondary"}`}
                  onClick={() => change.mutate(plan)}
                  disabled={change.isPending}
                  data-testid={`choose-${plan.name}`}
                >
                  {upgrade && FEATURES.billingCheckout ? t("plan.checkout", { plan: plan.displayName }) : t("plan.choose", { plan: plan.displayName })}
                </button>
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}
