// This period's checks per day as a chart (daily bars, running total, the allowance line), what is left,
// the plan and what the next plan gives; for admins, a month's consumption report (UsageReport.tsx).
// Lazy-loaded: recharts stays out of the first page's JavaScript.
import { useQuery } from "@tanstack/react-query";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, call } from "../api/client";
import { ErrorNotice } from "../components/errors";
import { DataTable, EmptyState, PageTitle, ProgressBar, Skeleton, Stats, useTitle } from "../components/ui";
import { useI18n } from "../i18n";
import { formatDate, formatNumber } from "../lib/format";
import { nextPlan, planInfo } from "../lib/plans";
import { usageSeries } from "../lib/usage";
import { ROLE_RANK } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { UsageReportSection } from "./UsageReport";

export default function UsagePage() {
  const { t, locale } = useI18n();
  useTitle("usage.title");
  const user = useSessionUser();
  const isAdmin = (ROLE_RANK[user?.role ?? ""] ?? 0) >= 3;
  const usage = useQuery({ queryKey: ["usage"], queryFn: () => call(api.GET("/usage")) });
  if (usage.isPending) return <Skeleton lines={8} />;
  if (usage.isError) return <ErrorNotice error={usage.error} onRetry={() => void usage.refetch()} />;
  const u = usage.data;
  const series = usageSeries(u.period, u.by_day);
  const plan = planInfo(u.plan);
  const next = nextPlan(u.plan);
  const n = (value: number) => formatNumber(value, locale);
  return (
    <>
      <PageTitle>{t("usage.title")}</PageTitle>
      <p className="muted">{t("usage.period", { period: u.period })}</p>
      <Stats
        testId="usage-stats"
        items={[
          [t("usage.used"), n(u.used), "usage-used"],
          [t("usage.allowance"), n(u.allowance), "usage-allowance"],
          [t("usage.remaining"), n(u.remaining), "usage-remaining"],
        ]}
      />
      <ProgressBar value={u.used} max={u.allowance} label={`${t("usage.used")}: ${n(u.used)} / ${n(u.allowance)}`} />
      <p className="hint">{t("usage.resets", { date: formatDate(u.resets_at.slice(0, 10)) })}</p>

      <section className="card" aria-labelledby="usage-chart-title">
        <h2 id="usage-chart-title">{t("usage.chart")}</h2>
        {u.used === 0 ? (
          <EmptyState title={t("usage.empty")} />
        ) : (
          <div className="chart" data-testid="usage-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={280}>
              <ComposedChart data={series} margin={{ top: 10, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                <YAxis yAxisId="total" tick={{ fontSize: 12 }} domain={[0, Math.max(u.allowance, u.used)]} allowDecimals={false} width={64} tickFormatter={n} />
                <YAxis yAxisId="day" orientation="right" tick={{ fontSize: 12 }} allowDecimals={false} width={48} tickFormatter={n} />
                <Tooltip />
                <Legend />
                <Bar yAxisId="day" dataKey="checks" name={t("usage.chart.daily")} fill="#0b5cad" />
                <Line yAxisId="total" dataKey="cumulative" name={t("usage.chart.cumulative")} stroke="#1b7a3a" strokeWidth={2} dot={false} />
                <ReferenceLine yAxisId="total" y={u.allowance} stroke="#b3261e" strokeDasharray="6 4" label={{ value: t("usage.chart.allowance"), position: "insideTopLeft", fontSize: 12 }} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        )}
        <details>
          <summary>{t("usage.table")}</summary>
          <DataTable label={t("usage.table")} columns={[t("usage.day"), t("usage.checks"), t("usage.chart.cumulative")]} testId="usage-table">
                {series.map((p) => (
                  <tr key={p.day}>
                    <td data-label={t("usage.day")}>{formatDate(p.day)}</td>
                    <td data-label={t("usage.checks")}>{n(p.checks)}</td>
                    <td data-label={t("usage.chart.cumulative")}>{n(p.cumulative)}</td>
                  </tr>
                ))}
              </DataTable>
        </details>
      </section>

      {isAdmin ? <UsageReportSection /> : <p className="muted">{t("usage.report.adminOnly")}</p>}

      <section className="card" aria-labelledby="usage-plan">
        <h2 id="usage-plan">{t("usage.plan", { plan: plan?.displayName ?? u.plan })}</h2>
        {next ? (
          <p data-testid="usage-next-plan">
            {t("usage.nextPlan", { plan: next.displayName, checks: n(next.monthlyChecks), rate: n(next.rate) })}
          </p>
        ) : (
          <p>{t("usage.topPlan")}</p>
        )}
      </section>
    </>
  );
}
