// Routes. The shell, sign-in and the companies list are in the first bundle; every other page is loaded on
// first visit (recharts, for one, only with the usage page).
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { Link, Navigate, Route, Routes, useLocation } from "react-router";
import { session } from "./api/client";
import { ROLE_RANK } from "./api/types";
import { useSession } from "./auth/SessionProvider";
import { Layout } from "./components/Layout";
import { EmptyState, Skeleton } from "./components/ui";
import { useI18n } from "./i18n";
import { LoginPage, SignupPage } from "./pages/AuthPages";
import { TargetsPage } from "./pages/TargetsPage";

const TargetPage = lazy(() => import("./pages/TargetPage").then((m) => ({ default: m.TargetPage })));
const CheckPage = lazy(() => import("./pages/CheckPage").then((m) => ({ default: m.CheckPage })));
const BatchesPage = lazy(() => import("./pages/BatchesPage").then((m) => ({ default: m.BatchesPage })));
const BatchPage = lazy(() => import("./pages/BatchesPage").then((m) => ({ default: m.BatchPage })));
const UsagePage = lazy(() => import("./pages/UsagePage"));
const KeysPage = lazy(() => import("./pages/admin/KeysPage"));
const UsersPage = lazy(() => import("./pages/admin/UsersPage"));
const PlanPage = lazy(() => import("./pages/admin/PlanPage"));
const AuditPage = lazy(() => import("./pages/admin/AuditPage"));
const TenantPage = lazy(() => import("./pages/admin/TenantPage"));

function RequireSession({ children }: { children: ReactNode }) {
  const { phase } = useSession();
  const location = useLocation();
  if (phase === "signed_out") return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user } = useSession();
  if ((ROLE_RANK[user?.role ?? ""] ?? 0) < 3) return <p className="notice notice-error">{t("error.forbidden")}</p>;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <EmptyState title={t("notFound.title")} action={<Link to="/targets">{t("notFound.home")}</Link>}>
      {t("notFound.body")}
    </EmptyState>
  );
}

const page = (node: ReactNode) => <Suspense fallback={<Skeleton lines={6} />}>{node}</Suspense>;
const admin = (node: ReactNode) => page(<RequireAdmin>{node}</RequireAdmin>);

export function App() {
  // With the API's cookie mode, a reload picks the session up again from the refresh cookie.
  const [restoring, setRestoring] = useState(session.transport === "cookie");
  useEffect(() => {
    if (restoring) void session.restore().finally(() => setRestoring(false));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  if (restoring) return <Skeleton lines={3} />;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/targets" replace />} />
        <Route path="/targets" element={<TargetsPage />} />
        <Route path="/targets/:targetId" element={page(<TargetPage />)} />
        <Route path="/checks/:checkId" element={page(<CheckPage />)} />
        <Route path="/batches" element={page(<BatchesPage />)} />
        <Route path="/batches/:batchId" element={page(<BatchPage />)} />
        <Route path="/usage" element={page(<UsagePage />)} />
        <Route path="/admin/keys" element={admin(<KeysPage />)} />
        <Route path="/admin/users" element={admin(<UsersPage />)} />
        <Route path="/admin/plan" element={admin(<PlanPage />)} />
        <Route path="/admin/audit" element={admin(<AuditPage />)} />
        <Route path="/admin/tenant" element={admin(<TenantPage />)} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
