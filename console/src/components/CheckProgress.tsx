// A check on its way: queued -> running -> final, with the wait the providers imposed, if any.
import type { Check } from "../api/types";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";
import { CheckStatusBadge } from "./ui";

const STEPS = ["queued", "running", "final"] as const;

export function CheckProgress({ check }: { check: Check }) {
  const { t, locale } = useI18n();
  const current = check.status === "succeeded" || check.status === "failed" ? "final" : check.status;
  const index = STEPS.indexOf(current as (typeof STEPS)[number]);
  const finalLabel = check.status === "failed" ? t("check.status.failed") : t("check.status.succeeded");
  return (
    <section className="card check-progress" aria-labelledby="progress-title" data-testid="check-progress" data-status={check.status}>
      <h2 id="progress-title">{t("check.progress.title")}</h2>
      <ol className="steps" aria-live="polite">
        {STEPS.map((step, i) => (
          <li key={step} className={i < index ? "done" : i === index ? "current" : ""} aria-current={i === index ? "step" : undefined}>
            {step === "final" ? finalLabel : t(`check.status.${step}`)}
          </li>
        ))}
      </ol>
      <p>
        <CheckStatusBadge status={check.status} /> <span className="muted">{t("check.attempts", { count: check.attempts })}</span>
      </p>
      {check.timings?.retry_at && check.status === "queued" && (
        <p className="hint" data-testid="retry-at">
          {t("check.waitingRetry", { time: formatDateTime(check.timings.retry_at, locale).slice(11) })}
        </p>
      )}
    </section>
  );
}
