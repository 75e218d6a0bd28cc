// The tenant's plan and every plan's limits; change plan with PUT /tenant/plan today, or through billing
// checkout when the API has it; the catalogue with prices from GET /billing/plans when it is there
// (console/API_NEEDS.md 6), else the bundled tiers file. Checkout and the billing portal send the customer back here
// (lib/billingReturn.ts): after a payment the page waits for the plan to move, after a cancel it says nothing was
// charged.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { toast } from "sonner";
import { api, call, untypedCall } from "../../api/client";
import { FEATURES } from "../../api/features";
import { ErrorNotice } from "../../components/errors";
import { Facts, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n } from "../../i18n";
import {
  activationPollInterval,
  activationState,
  readBillingReturn,
  withoutBillingReturn,
  type Activation,
  type BillingReturn,
} from "../../lib/billingReturn";
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
  const [params, setParams] = useSearchParams();
  const highlight = params.get("highlight");
  const queryClient = useQueryClient();
  // Read once: the address bar is cleared right after, so a reload or a shared link shows no stale notice.
  const [returned, setReturned] = useState<BillingReturn | null>(() => readBillingReturn(params));
  const [startedAt] = useState(() => Date.now());
  const [activation, setActivation] = useState<Activation | null>(() =>
    returned?.kind === "checkout_success" ? "waiting" : null,
  );
  const firstSeen = useRef<string | null>(null);
  useEffect(() => {
    if (readBillingReturn(params)) setParams(withoutBillingReturn(params), { replace: true });
  }, [params, setParams]);
  const tenant = useQuery({
    queryKey: ["tenant"],
    queryFn: () => call(api.GET("/tenant")),
    refetchInterval: activationPollInterval(activation),
    refetchIntervalInBackground: true,
  });
  const catalogue = usePlans();
  const byName = (name: string | null | undefined) => catalogue.plans.find((p) => p.name === name) ?? null;
  const current = tenant.data ? byName(tenant.data.plan) : null;
  const expected = returned?.kind === "checkout_success" ? returned.plan : null;
  useEffect(() => {
    if (activation !== "waiting") return;
    const plan = tenant.data?.plan ?? null;
    if (plan && firstSeen.current === null) firstSeen.current = plan;
    const next = activationState({ expected, firstSeen: firstSeen.current, current: plan, startedAt, now: Date.now() });
    if (next === "waiting") return;
    setActivation(next);
    if (next === "activated" && plan) {
      void queryClient.invalidateQueries({ queryKey: ["usage"] });
      toast.success(t("plan.activated", { plan: byName(plan)?.displayName ?? plan }));
    }
    // byName and t change with every render; the poll's answers (dataUpdatedAt) are what this follows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activation, tenant.data, tenant.dataUpdatedAt, expected, startedAt, queryClient]);
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
      {returned?.kind === "checkout_success" && activation === "waiting" && (
        <div className="notice notice-info" role="status" data-testid="billing-return" data-state="activating">
          <p>
            <strong>{t("plan.paymentReceived")}</strong>{" "}
            {t("plan.activating", { plan: byName(expected)?.displayName ?? expected ?? t("plan.newPlan") })}
          </p>
        </div>
      )}
      {returned?.kind === "checkout_success" && activation === "timed_out" && (
        <div className="notice notice-warn" role="status" data-testid="billing-return" data-state="slow">
          <p>{t("plan.activationSlow")}</p>
          <button type="button" className="button secondary" onClick={() => void tenant.refetch()}>
            {t("plan.checkAgain")}
          </button>
        </div>
      )}
      {(returned?.kind === "checkout_cancel" || returned?.kind === "portal_return") && (
        <div className="notice notice-info" role="status" data-testid="billing-return" data-state={returned.kind}>
          <p>{returned.kind === "checkout_cancel" ? t("plan.checkoutCancelled") : t("plan.portalReturned")}</p>
          <button type="button" className="button secondary" onClick={() => setReturned(null)}>
            {t("plan.dismiss")}
          </button>
        </div>
      )}
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
