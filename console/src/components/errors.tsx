// How API errors look: the upgrade offer for the friendly 429s and the allowance, the providers' failures in
// plain words with a retry, and a clear line for the rest.
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { ApiError, upgradeFacts } from "../api/errors";
import type { ProviderAttempt } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { hasKey, useI18n, type MessageKey } from "../i18n";
import { formatBRL, formatDate, formatNumber } from "../lib/format";
import { nextPlan, planInfo } from "../lib/plans";

export const PROVIDER_NAMES: Record<string, string> = {
  cnpjws: "CNPJ.ws",
  brasilapi: "BrasilAPI",
  receitaws: "ReceitaWS",
  minhareceita: "minha-receita",
  opencnpj: "OpenCNPJ",
  cnpja: "CNPJá",
  cache: "cache",
  mock: "mock",
};

export const providerName = (name: string | null | undefined, unknown: string) =>
  name ? (PROVIDER_NAMES[name] ?? name) : unknown;

export function UpgradeOffer({ error }: { error: ApiError }) {
  const { t, locale } = useI18n();
  const user = useSessionUser();
  const facts = upgradeFacts(error);
  const current = facts.plan ?? null;
  const next = planInfo(facts.upgradePlan) ?? nextPlan(current);
  const titleKey = `upgrade.title.${facts.code}`;
  const bodyKey = `upgrade.body.${facts.code}`;
  return (
    <section className="notice notice-upgrade" role="alert" data-testid="upgrade-offer" data-code={facts.code}>
      <h2>{t(hasKey(titleKey) ? titleKey : "upgrade.title.other")}</h2>
      {hasKey(bodyKey) && (
        <p>
          {t(bodyKey, {
            used: formatNumber(facts.used ?? 0, locale),
            allowance: formatNumber(facts.allowance ?? 0, locale),
            resets: formatDate(facts.resetsAt?.slice(0, 10)),
          })}
        </p>
      )}
      {next && (
        <p data-testid="upgrade-next-plan">
          {t("upgrade.next", {
            plan: next.displayName,
            checks: formatNumber(next.monthlyChecks, locale),
            rate: formatNumber(next.rate, locale),
          })}
          {facts.upgradePrice?.currency === "BRL" &&
            ` ${t("upgrade.price", { price: formatBRL(facts.upgradePrice.amount, locale) })}`}
        </p>
      )}
      {user?.role === "admin" ? (
        <Link className="button primary" to={`/admin/plan${next ? `?highlight=${next.name}` : ""}`}>
          {t("upgrade.cta")}
        </Link>
      ) : (
        <p>{t("upgrade.askAdmin")}</p>
      )}
    </section>
  );
}

export function useCountdown(seconds: number | null): number {
  const [left, setLeft] = useState(seconds ?? 0);
  useEffect(() => {
    setLeft(seconds ?? 0);
    if (!seconds) return undefined;
    const started = Date.now();
    const timer = setInterval(() => {
      const rest = Math.max(0, Math.ceil(seconds - (Date.now() - started) / 1000));
      setLeft(rest);
      if (rest === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

/** Which providers were tried and why each failed, in words; a retry button (after Retry-After, if any). */
export function ProviderErrors({
  attempts,
  retryAfterSeconds,
  onRetry,
  busy,
  title,
}: {
  attempts: ProviderAttempt[];
  retryAfterSeconds?: number | null;
  onRetry?: () => void;
  busy?: boolean;
  title?: string;
}) {
  const { t } = useI18n();
  const left = useCountdown(retryAfterSeconds ?? null);
  return (
    <section className="notice notice-error" role="alert" data-testid="provider-errors">
      <h2>{title ?? t("providers.title")}</h2>
      {attempts.length > 0 ? (
        <>
          <p>{t("providers.intro")}</p>
          <ol className="attempts">
            {attempts.map((attempt, index) => {
              const key = `providers.outcome.${attempt.outcome}`;
              return (
                <li key={index} data-provider={attempt.provider ?? ""} data-outcome={attempt.outcome}>
                  <strong>{providerName(attempt.provider, t("providers.unknown"))}</strong>{" "}
                  {hasKey(key) ? t(key as MessageKey) : attempt.outcome}
                  {attempt.status ? <span className="muted"> ({t("providers.http", { status: attempt.status })})</span> : null}
                </li>
              );
            })}
          </ol>
        </>
      ) : (
        <p>{t("providers.noDetails")}</p>
      )}
      {onRetry && (
        <button type="button" className="button primary" onClick={onRetry} disabled={busy || left > 0} data-testid="retry-check">
          {left > 0 ? t("providers.retryIn", { seconds: left }) : t("app.retry")}
        </button>
      )}
    </section>
  );
}

function attemptsFromError(error: ApiError): ProviderAttempt[] {
  const details = (error.details ?? {}) as { errors?: unknown; attempts?: unknown };
  const list = Array.isArray(details.errors) ? details.errors : Array.isArray(details.attempts) ? details.attempts : [];
  return list.filter((a): a is ProviderAttempt => !!a && typeof a === "object" && "outcome" in a);
}

/** Any API error, shown the way its kind deserves. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) {
    return (
      <p className="notice notice-error" role="alert">
        {t("error.generic", { message: String(error) })}
      </p>
    );
  }
  if (error.kind === "upgrade") return <UpgradeOffer error={error} />;
  if (error.kind === "providers") {
    return <ProviderErrors attempts={attemptsFromError(error)} retryAfterSeconds={error.retryAfterSeconds} onRetry={onRetry} />;
  }
  const message =
    error.kind === "network"
      ? t("error.network")
      : error.kind === "forbidden"
        ? t("error.forbidden")
        : error.kind === "unavailable"
          ? t("error.unavailable")
          : error.kind === "not_found"
            ? t("error.notFound")
            : t("error.generic", { message: error.message });
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice" data-code={error.code}>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}
