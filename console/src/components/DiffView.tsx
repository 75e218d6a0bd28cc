import type { ReportDiff } from "../api/types";
import { useI18n } from "../i18n";
import { describeDiff, type PartnerRow } from "../lib/diff";

/** What changed since the previous report: each field with before and after, partners in and out. */
export function DiffView({ diff }: { diff: ReportDiff | null }) {
  const { t, locale } = useI18n();
  const view = describeDiff(diff, t, locale);
  if (!view) return null;
  if (view.baseline) return <p className="muted" data-testid="diff-baseline">{t("history.baseline")}</p>;
  if (!view.changed) return <p className="muted" data-testid="diff-none">{t("history.noChanges")}</p>;
  return (
    <div className="diff" data-testid="diff">
      <p>
        <strong>{t("history.changes", { count: view.count })}</strong>
      </p>
      {view.rows.length > 0 && (
        <ul className="diff-rows">
          {view.rows.map((row) => (
            <li key={row.field} className={`diff-row diff-${row.kind}`} data-field={row.field} data-kind={row.kind}>
              <span className="diff-field">{row.label}</span>{" "}
              <span className="visually-hidden">{t("history.from")}: </span>
              <del>{row.from}</del> <span aria-hidden="true">→</span>{" "}
              <span className="visually-hidden">{t("history.to")}: </span>
              <ins>{row.to}</ins>
            </li>
          ))}
        </ul>
      )}
      <PartnerChanges kind="in" title={t("history.partnersIn")} partners={view.partnersIn} />
      <PartnerChanges kind="out" title={t("history.partnersOut")} partners={view.partnersOut} />
    </div>
  );
}

function PartnerChanges({ kind, title, partners }: { kind: "in" | "out"; title: string; partners: PartnerRow[] }) {
  if (partners.length === 0) return null;
  const Mark = kind === "in" ? "ins" : "del";
  return (
    <div className={`diff-partners diff-${kind}`} data-testid={`partners-${kind}`}>
      <h4>{title}</h4>
      <ul>
        {partners.map((p, i) => (
          <li key={i}>
            <Mark>
              {p.name} <span className="mono">{p.document}</span> {p.role && `· ${p.role}`}
            </Mark>
          </li>
        ))}
      </ul>
    </div>
  );
}
