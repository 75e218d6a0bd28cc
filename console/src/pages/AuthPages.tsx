// Sign-in and sign-up. On success the session starts in memory and the user lands where they were going.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { authCall, session } from "../api/client";
import { ApiError } from "../api/errors";
import type { Schemas, TokenResponse } from "../api/types";
import { useSession } from "../auth/SessionProvider";
import { LanguageSelect } from "../components/Layout";
import { ErrorNotice } from "../components/errors";
import { Field, useTitle } from "../components/ui";
import { useI18n, type MessageKey } from "../i18n";

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <header className="auth-header">
        <span className="brand">{t("app.name")}</span>
        <LanguageSelect />
      </header>
      <main id="main" className="auth-card" tabIndex={-1}>
        <h1 data-page-title>{title}</h1>
        {children}
      </main>
    </div>
  );
}

function useDestination(): string {
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return from && from.startsWith("/") && !from.startsWith("/login") ? from : "/targets";
}

export function LoginPage() {
  const { t } = useI18n();
  useTitle("auth.login.title");
  const navigate = useNavigate();
  const destination = useDestination();
  const { endedReason } = useSession();
  const [ended] = useState(endedReason);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (endedReason) session.acknowledgeEnd();
  }, [endedReason]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const tokens = await authCall<TokenResponse>("/auth/login", { email, password });
      session.begin(tokens, email);
      navigate(destination, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : ApiError.network(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t("auth.login.title")}>
      {ended && (
        <p className={`notice ${ended === "logout" ? "notice-info" : "notice-warn"}`} role="status" data-testid="ended-message" data-reason={ended}>
          {t(`auth.ended.${ended}` as MessageKey)}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field id="login-email" label={t("auth.field.email")}>
          {(props) => (
            <input {...props} className="input" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          )}
        </Field>
        <Field id="login-password" label={t("auth.field.password")}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        {error &&
          (error.status === 401 ? (
            <p className="notice notice-error" role="alert" data-testid="login-error">
              {t("auth.error.invalid")}
            </p>
          ) : (
            <ErrorNotice error={error} />
          ))}
        <button type="submit" className="button primary wide" disabled={busy} data-testid="login-submit">
          {busy ? t("app.loading") : t("auth.login.submit")}
        </button>
      </form>
      {session.transport === "memory" && <p className="hint">{t("auth.memoryNote")}</p>}
      <p>
        {t("auth.login.noAccount")} <Link to="/signup">{t("auth.login.toSignup")}</Link>
      </p>
    </AuthFrame>
  );
}

export function SignupPage() {
  const { t } = useI18n();
  useTitle("auth.signup.title");
  const navigate = useNavigate();
  const [tenantName, setTenantName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await authCall<Schemas["SignupResponse"]>("/auth/signup", { tenant_name: tenantName, email, password });
      session.begin(created.tokens, email);
      navigate("/targets", { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : ApiError.network(e));
    } finally {
      setBusy(false);
    }
  };

  const problem = (field: string) => error?.problemFor(field)?.message ?? null;
  return (
    <AuthFrame title={t("auth.signup.title")}>
      <form onSubmit={submit} noValidate>
        <Field id="signup-tenant" label={t("auth.field.tenantName")} error={problem("tenant_name")}>
          {(props) => (
            <input {...props} className="input" autoComplete="organization" value={tenantName} onChange={(e) => setTenantName(e.target.value)} required />
          )}
        </Field>
        <Field
          id="signup-email"
          label={t("auth.field.email")}
          error={error?.code === "email_taken" || error?.status === 409 ? t("auth.error.emailTaken") : problem("email")}
        >
          {(props) => (
            <input {...props} className="input" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          )}
        </Field>
        <Field id="signup-password" label={t("auth.field.password")} hint={t("auth.field.passwordHint")} error={problem("password")}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={12}
            />
          )}
        </Field>
        {error && error.kind !== "validation" && error.status !== 409 && <ErrorNotice error={error} />}
        {error && error.kind === "validation" && error.fieldProblems.length === 0 && (
          <p className="notice notice-error" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={busy} data-testid="signup-submit">
          {busy ? t("app.loading") : t("auth.signup.submit")}
        </button>
      </form>
      <p>
        {t("auth.signup.hasAccount")} <Link to="/login">{t("auth.signup.toLogin")}</Link>
      </p>
    </AuthFrame>
  );
}
