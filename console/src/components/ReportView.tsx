// A report in readable sections, in the order an analyst reads it: who the company is and its status, its tax
// regime, where it is, what it does, who owns it, and where the data came from.
import type { Check, Report } from "../api/types";
import { useI18n, hasKey } from "../i18n";
import { formatBRL, formatCep, formatCnae, formatDate, formatDateTime, formatPhone, maskDocument } from "../lib/format";
import { providerName } from "./errors";
import { DataTable, StatusBadge } from "./ui";

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  const empty = children === null || children === undefined || children === "" || children === false;
  return (
    <div className="kv" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{empty ? "—" : children}</dd>
    </div>
  );
}

export function formatLegalNature(code: string | null | undefined): string {
  return code && /^\d{4}$/.test(code) ? `${code.slice(0, 3)}-${code.slice(3)}` : (code ?? "");
}

function addressLines(report: Report): string[] {
  const a = report.address;
  if (!a) return [];
  const street = [a.street_type, a.street].filter(Boolean).join(" ");
  const first = [street, a.number, a.complement].filter(Boolean).join(", ");
  const cityLine = [a.city, a.state].filter(Boolean).join(" / ");
  return [first, a.district ?? "", [cityLine, a.zip_code ? `CEP ${formatCep(a.zip_code)}` : ""].filter(Boolean).join(" · "), a.country ?? ""].filter(
    Boolean,
  );
}

/** Secondary CNAEs with their descriptions when the report carries them (`secondary_cnae_details`, API_NEEDS.md 9),
 * else the codes alone; in the report's order, each code once. */
export function secondaryCnaes(report: Pick<Report, "secondary_cnaes" | "secondary_cnae_details">): { code: string; description: string | null }[] {
  const described = new Map<string, string>();
  for (const item of report.secondary_cnae_details ?? []) {
    if (item && typeof item.code === "string" && typeof item.description === "string") described.set(item.code, item.description);
  }
  const codes = [...(report.secondary_cnaes ?? []), ...described.keys()];
  return [...new Set(codes)].map((code) => ({ code, description: described.get(code) ?? null }));
}

export function ReportView({ report, check }: { report: Report; check: Check }) {
  const { t, locale } = useI18n();
  const yesNo = (value: boolean | null | undefined) => (value === null || value === undefined ? "" : t(value ? "app.yes" : "app.no"));
  const dates = report.tax_option_dates ?? {};
  const secondary = secondaryCnaes(report);
  const regime = (flag: boolean | null | undefined, opted?: string | null, excluded?: string | null) =>
    [yesNo(flag), opted ? t("report.optedOn", { date: formatDate(opted) }) : "", excluded ? t("report.excludedOn", { date: formatDate(excluded) }) : ""]
      .filter(Boolean)
      .join(", ");
  const sizeKey = `report.size.${report.size ?? ""}`;
  const partners = report.partners ?? [];
  const address = addressLines(report);
  return (
    <article className="report" data-testid="report" aria-labelledby="report-heading">
      <header className="report-header">
        <div>
          <h2 id="report-heading" data-testid="report-legal-name">
            {report.legal_name ?? report.cnpj_formatted}
          </h2>
          {report.trade_name && <p className="muted">{report.trade_name}</p>}
          <p className="mono">{report.cnpj_formatted}</p>
        </div>
        <StatusBadge status={report.status} />
      </header>

      <section aria-labelledby="sec-registration" className="report-section">
        <h3 id="sec-registration">{t("report.registration")}</h3>
        <dl>
          <Row label={t("report.status")} testId="report-status">
            <StatusBadge status={report.status} />
          </Row>
          <Row label={t("report.statusDate")} testId="report-status-date">
            {formatDate(report.status_date)}
          </Row>
          {report.status_reason && <Row label={t("report.statusReason")}>{report.status_reason}</Row>}
          <Row label={t("report.openedOn")} testId="report-opened-on">
            {formatDate(report.opened_on)}
          </Row>
          <Row label={t("report.headOffice")}>
            {report.head_office === null || report.head_office === undefined
              ? ""
              : t(report.head_office ? "report.headOffice.true" : "report.headOffice.false")}
          </Row>
          <Row label={t("report.legalNature")} testId="report-legal-nature">
            {report.legal_nature
              ? [formatLegalNature(report.legal_nature.code), report.legal_nature.description].filter(Boolean).join(" — ")
              : ""}
          </Row>
          <Row label={t("report.size")}>{report.size ? (hasKey(sizeKey) ? t(sizeKey) : report.size) : ""}</Row>
          <Row label={t("report.capital")} testId="report-capital">
            {formatBRL(report.share_capital, locale)}
          </Row>
        </dl>
      </section>

      <section aria-labelledby="sec-tax" className="report-section">
        <h3 id="sec-tax">{t("report.taxRegime")}</h3>
        <dl>
          <Row label={t("report.simples")} testId="report-simples">
            {regime(report.simples, dates.simples_opted_on, dates.simples_excluded_on)}
          </Row>
          <Row label={t("report.mei")} testId="report-mei">
            {regime(report.mei, dates.mei_opted_on, dates.mei_excluded_on)}
          </Row>
        </dl>
      </section>

      <section aria-labelledby="sec-address" className="report-section">
        <h3 id="sec-address">{t("report.address")}</h3>
        {address.length ? (
          <address data-testid="report-address">
            {address.map((line, i) => (
              <span key={i} className="line">
                {line}
              </span>
            ))}
          </address>
        ) : (
          <p className="muted">—</p>
        )}
        {report.contact && (report.contact.phones?.length || report.contact.email) ? (
          <dl>
            <Row label={t("report.phones")}>{(report.contact.phones ?? []).map(formatPhone).join(", ")}</Row>
            <Row label={t("report.email")}>{report.contact.email ?? ""}</Row>
          </dl>
        ) : null}
        {report.personal_data_redacted && <p className="hint">{t("report.redacted")}</p>}
      </section>

      <section aria-labelledby="sec-cnae" className="report-section">
        <h3 id="sec-cnae">{t("report.activities")}</h3>
        <dl>
          <Row label={t("report.mainCnae")} testId="report-main-cnae">
            {report.main_cnae ? (
              <>
                <span className="mono">{formatCnae(report.main_cnae)}</span> {report.main_cnae_description}
              </>
            ) : (
              ""
            )}
          </Row>
        </dl>
        {secondary.length > 0 && (
          <>
            <h4>{t("report.secondaryCnaes")}</h4>
            {!secondary.some((cnae) => cnae.description) && <p className="hint">{t("report.secondaryNoDescriptions")}</p>}
            <ul className="cnae-list" data-testid="report-secondary-cnaes">
              {secondary.map((cnae) => (
                <li key={cnae.code}>
                  <span className="mono">{formatCnae(cnae.code)}</span>
                  {cnae.description ? ` ${cnae.description}` : ""}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="sec-partners" className="report-section">
        <h3 id="sec-partners">{t("report.partners")}</h3>
        {partners.length === 0 ? (
          <p className="muted">{t("report.partners.none")}</p>
        ) : (
          <DataTable labelledBy="sec-partners" columns={[t("report.partner.name"), t("report.partner.document"), t("report.partner.role"), t("report.partner.joined")]} testId="report-partners">
                {partners.map((partner, index) => {
                  const kindKey = `report.partner.kind.${partner.kind ?? ""}`;
                  return (
                    <tr key={index}>
                      <td data-label={t("report.partner.name")}>
                        {partner.name ?? "—"}
                        {partner.kind && hasKey(kindKey) && <span className="muted"> · {t(kindKey)}</span>}
                      </td>
                      <td data-label={t("report.partner.document")} className="mono" data-testid="partner-document">
                        {maskDocument(partner.document) || "—"}
                      </td>
                      <td data-label={t("report.partner.role")}>{partner.role ?? "—"}</td>
                      <td data-label={t("report.partner.joined")}>{formatDate(partner.joined_on) || "—"}</td>
                    </tr>
                  );
                })}
              </DataTable>
        )}
      </section>

      {(report.state_registrations ?? []).length > 0 && (
        <section aria-labelledby="sec-ie" className="report-section">
          <h3 id="sec-ie">{t("report.stateRegistrations")}</h3>
          <ul>
            {(report.state_registrations ?? []).map((ie) => (
              <li key={`${ie.state}-${ie.number}`}>
                <span className="mono">{ie.number}</span> {ie.state} {ie.active === false ? `(${t("app.no")})` : ""}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="sec-provenance" className="report-section provenance" data-testid="report-provenance">
        <h3 id="sec-provenance">{t("report.provenance")}</h3>
        <dl>
          <Row label={t("report.source")} testId="report-source">
            {providerName(report.source, t("providers.unknown"))}
          </Row>
          <Row label={t("report.fetchedAt")}>{formatDateTime(report.fetched_at, locale)}</Row>
          {report.source_updated_at && <Row label={t("report.sourceUpdatedAt")}>{formatDateTime(report.source_updated_at, locale)}</Row>}
          {check.age_seconds != null && (
            <Row label={t("report.age")} testId="report-age">{formatAge(check.age_seconds)}</Row>
          )}
        </dl>
        <p>
          <span className={`badge ${check.cached ? "badge-info" : "badge-ok"}`} data-testid="report-cached" data-cached={String(!!check.cached)}>
            {check.cached ? t("report.cached") : t("report.fresh")}
          </span>
          {check.stale && (
            <span className="badge badge-warn" data-testid="report-stale" title={t("report.staleHint")}>
              {t("report.stale")}
            </span>
          )}
        </p>
        {report.partial && <p className="hint">{t("report.partial", { reasons: (report.partial_reasons ?? []).join(", ") })}</p>}
      </section>
    </article>
  );
}

/** A data age as the largest whole unit: 45 s, 12 min, 5 h, 3 d. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}
