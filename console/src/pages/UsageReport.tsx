// The consumption report (GET /usage/report, admin): a month's checks per day stacked by mode, cached versus looked
// up, who ran them (API key or user), and the API's own CSV as a download. Part of the Usage page's lazy chunk.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, API_BASE, call, session } from "../api/client";
import { ApiError } from "../api/errors";
import type { UsageReport } from "../api/types";
import { ErrorNotice } from "../components/errors";
import { DataTable, EmptyState, Field, Skeleton, Stats } from "../components/ui";
import { hasKey, useI18n, type MessageKey } from "../i18n";
import { saveCsv } from "../lib/csv";
import { formatDate, formatNumber } from "../lib/format";
import { cachedShare, currentPeriod, isReportPeriod, REPORT_MODES, reportSeries, shiftPeriod } from "../lib/usage";

const MODE_COLOURS: Record<string, string> = { sync: "#0b5cad", async: "#6a3d9a", batch: "#b35900", unattributed: "#5f6b7a" };

/** GET /usage/report as text/csv (the API's own file), with the session's token. */
async function downloadReportCsv(period: string) {
  const url = new URL(`${API_BASE}/usage/report`, location.origin);
  url.searchParams.set("period", period);
  const response = await session.fetch(new Request(url, { headers: { Accept: "text/csv" } }));
  if (!response.ok) throw ApiError.fromBody(response, await response.json().catch(() => undefined));
  saveCsv(await response.blob(), `usage-${period}.csv`);
}

export function UsageReportSection() {
  const { t, locale } = useI18n();
  const latest = currentPeriod();
  const [period, setPeriod] = useState(latest);
  const [draft, setDraft] = useState(latest);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const report = useQuery({
    queryKey: ["usage-report", period],
    queryFn: () => call(api.GET("/usage/report", { params: { query: { period } } })) as Promise<UsageReport>,
  });
  const n = (value: number) => formatNumber(value, locale);
  const choose = (value: string) => {
    setDraft(value);
    if (isReportPeriod(value)) setPeriod(value);
  };
  const step = (months: number) => {
    const next = shiftPeriod(period, months);
    if (next) choose(next);
  };
  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await downloadReportCsv(period);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const modeName = (mode: string) => (hasKey(`usage.report.mode.${mode}`) ? t(`usage.report.mode.${mode}` as MessageKey) : mode);
  return (
    <section className="card" aria-labelledby="usage-report-title" data-testid="usage-report">
      <h2 id="usage-report-title">{t("usage.report.title")}</h2>
      <p className="hint">{t("usage.report.hint")}</p>
      <div className="filters">
        <Field id="usage-report-period" label={t("usage.report.period")} error={isReportPeriod(draft) ? null : t("usage.report.badPeriod")}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="month"
              value={draft}
              max={latest}
              min="2000-01"
              onChange={(event) => choose(event.target.value)}
              data-testid="usage-report-period"
            />
          )}
        </Field>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => step(-1)} data-testid="usage-report-previous">
            {t("usage.report.previous")}
          </button>
          <button type="button" className="button secondary" onClick={() => step(1)} disabled={shiftPeriod(period, 1) === null}>
            {t("usage.report.next")}
          </button>
          <button type="button" className="button primary" onClick={() => void download()} disabled={busy} data-testid="usage-report-csv">
            {t("usage.report.csv")}
          </button>
        </div>
      </div>
      {failure !== null && <ErrorNotice error={failure} />}
      {report.isPending ? (
        <Skeleton lines={6} />
      ) : report.isError ? (
        <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ReportBody report={report.data} n={n} modeName={modeName} />
      )}
    </section>
  );
}

function ReportBody({ report, n, modeName }: { report: UsageReport; n: (v: number) => string; modeName: (m: string) => string }) {
  const { t } = useI18n();
  const totals = report.totals;
  const series = reportSeries(report.days);
  const stacks = [...REPORT_MODES, ...(totals.unattributed ? ["unattributed"] : [])];
  return (
    <>
      <Stats
        testId="usage-report-totals"
        items={[
          [t("usage.report.checks"), n(totals.checks), "usage-report-checks"],
          [t("usage.report.cached"), n(totals.cached), "usage-report-cached"],
          [t("usage.report.lookedUp"), n(totals.looked_up), "usage-report-looked-up"],
          ...REPORT_MODES.map((mode): [string, string, string] => [modeName(mode), n(totals.by_mode[mode] ?? 0), `usage-report-mode-${mode}`]),
        ]}
      />
      <p className="hint">{t("usage.report.cacheShare", { share: String(cachedShare(totals.cached, totals.checks)) })}</p>
      {totals.checks === 0 ? (
        <EmptyState title={t("usage.report.empty")} />
      ) : (
        <div className="chart" data-testid="usage-report-chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={series} margin={{ top: 10, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe3" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
              <YAxis tick={{ fontSize: 12 }} allowDecimals={false} width={48} tickFormatter={n} />
              <Tooltip />
              <Legend />
              {stacks.map((mode) => (
                <Bar key={mode} dataKey={mode} stackId="mode" name={modeName(mode)} fill={MODE_COLOURS[mode]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
          <p className="hint">{t("usage.report.cacheChart")}</p>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={series} margin={{ top: 10, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe3" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
              <YAxis tick={{ fontSize: 12 }} allowDecimals={false} width={48} tickFormatter={n} />
              <Tooltip />
              <Legend />
              <Bar dataKey="cached" stackId="cache" name={t("usage.report.cached")} fill="#1b7a3a" />
              <Bar dataKey="looked_up" stackId="cache" name={t("usage.report.lookedUp")} fill="#5f6b7a" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <details>
        <summary>{t("usage.report.byDay")}</summary>
        <DataTable
          label={t("usage.report.byDay")}
          columns={[t("usage.day"), t("usage.report.checks"), ...REPORT_MODES.map(modeName), t("usage.report.cached"), t("usage.report.lookedUp")]}
          testId="usage-report-days"
        >
          {series
            .filter((p) => p.checks > 0)
            .map((p) => (
              <tr key={p.day}>
                <td data-label={t("usage.day")}>{formatDate(p.day)}</td>
                <td data-label={t("usage.report.checks")}>{n(p.checks)}</td>
                {REPORT_MODES.map((mode) => (
                  <td key={mode} data-label={modeName(mode)}>
                    {n(p[mode])}
                  </td>
                ))}
                <td data-label={t("usage.report.cached")}>{n(p.cached)}</td>
                <td data-label={t("usage.report.lookedUp")}>{n(p.looked_up)}</td>
              </tr>
            ))}
        </DataTable>
      </details>
      <h3>{t("usage.report.byPrincipal")}</h3>
      {report.principals.length === 0 ? (
        <p className="muted">{t("usage.report.noPrincipals")}</p>
      ) : (
        <DataTable
          label={t("usage.report.byPrincipal")}
          columns={[t("usage.report.principal"), t("usage.report.checks"), ...REPORT_MODES.map(modeName), t("usage.report.cached"), t("usage.report.lookedUp")]}
          testId="usage-report-principals"
        >
          {report.principals.map((p) => (
            <tr key={`${p.principal_type}:${p.principal_id}`}>
              <td data-label={t("usage.report.principal")}>
                {t(p.principal_type === "api_key" ? "usage.report.apiKey" : "usage.report.user")}{" "}
                <span className="mono">{p.principal_id}</span>
              </td>
              <td data-label={t("usage.report.checks")}>{n(p.checks)}</td>
              {REPORT_MODES.map((mode) => (
                <td key={mode} data-label={modeName(mode)}>
                  {n(p.by_mode[mode] ?? 0)}
                </td>
              ))}
              <td data-label={t("usage.report.cached")}>{n(p.cached)}</td>
              <td data-label={t("usage.report.lookedUp")}>{n(p.looked_up)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
