// The signed-in shell: skip link, top bar (menu on phones, language, who is signed in, sign out), the
// navigation, and the main region that receives focus on each page change.
import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { session } from "../api/client";
import { ROLE_RANK } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { useMe, whoLabel } from "../hooks/me";
import { focusPageTitle } from "./ui";
import { LOCALES, useI18n, type MessageKey } from "../i18n";
import type { Locale } from "../lib/format";

export function LanguageSelect() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t("app.language")}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t("app.language")} data-testid="language">
        {LOCALES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

const MAIN_NAV: [string, MessageKey][] = [
  ["/targets", "nav.targets"],
  ["/batches", "nav.batches"],
  ["/usage", "nav.usage"],
];
const ADMIN_NAV: [string, MessageKey][] = [
  ["/admin/keys", "nav.keys"],
  ["/admin/users", "nav.users"],
  ["/admin/plan", "nav.plan"],
  ["/admin/audit", "nav.audit"],
  ["/admin/tenant", "nav.tenant"],
];

function NavList({ items }: { items: [string, MessageKey][] }) {
  const { t } = useI18n();
  return (
    <ul>
      {items.map(([to, label]) => (
        <li key={to}>
          <NavLink to={to}>{t(label)}</NavLink>
        </li>
      ))}
    </ul>
  );
}

export function Layout() {
  const { t } = useI18n();
  const user = useSessionUser();
  const me = useMe();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    // A new page: its heading takes the focus (now, or when a lazy page arrives).
    focusPageTitle(main.current);
  }, [location.pathname]);

  const isAdmin = (ROLE_RANK[user?.role ?? ""] ?? 0) >= 3;
  const roleLabel = user ? t(`role.${user.role}`) : "";
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen((open) => !open)}
          data-testid="menu-toggle"
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
            <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span>{t("app.menu")}</span>
        </button>
        <NavLink to="/targets" className="brand">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="22" height="22">
            <circle cx="16" cy="16" r="14" fill="currentColor" />
            <circle cx="16" cy="16" r="8" fill="none" stroke="#fff" strokeWidth="3" />
          </svg>
          {t("app.name")}
        </NavLink>
        <div className="topbar-right">
          <LanguageSelect />
          {user && (
            <span className="who" data-testid="who">
              {t("nav.signedInAs", { who: whoLabel(me, user.email, user.userId), role: roleLabel })}
              {me?.tenant_name && <span className="who-tenant"> · {me.tenant_name}</span>}
            </span>
          )}
          <button type="button" className="button secondary small" onClick={() => void session.logout("logout")} data-testid="sign-out">
            {t("nav.signOut")}
          </button>
        </div>
      </header>
      <div className="shell">
        <nav id="nav" aria-label={t("nav.main")} className={menuOpen ? "open" : undefined}>
          <NavList items={MAIN_NAV} />
          {isAdmin && (
            <>
              <h2 className="nav-heading">{t("nav.admin")}</h2>
              <NavList items={ADMIN_NAV} />
            </>
          )}
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
