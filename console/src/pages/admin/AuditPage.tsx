// The audit log: filters (action, from, to) kept in the address, cursor paging forwards and back.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { ErrorNotice } from "../../components/errors";
import { DataTable, EmptyState, Field, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { hasKey, useI18n } from "../../i18n";
import { formatDateTime } from "../../lib/format";

export const AUDIT_PAGE_SIZE = 20;
// The actions the API writes today (radar/audit.py and the handlers); the filter accepts any other name too.
export const KNOWN_ACTIONS = [
  "apikey.create",
  "apikey.revoke",
  "auth.login",
  "auth.logout",
  "auth.refresh",
  "auth.refresh_reuse",
  "auth.signup",
  "batch.created",
  "check.requested",
  "target.created",
  "target.deleted",
  "target.updated",
  "tenant.delete",
  "tenant.plan_change",
  "user.create",
];

interface AuditItem {
  event_id?: string;
  time?: string;
  actor?: string;
  principal_type?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  source_ip?: string | null;
}

export default function AuditPage() {
  const { t, locale } = useI18n();
  useTitle("audit.title");
  const [params, setParams] = useSearchParams();
  const action = params.get("action") ?? "";
  const start = params.get("start") ?? "";
  const end = params.get("end") ?? "";
  // Cursors of the pages seen so far: index 0 is the first page (no cursor).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const [draft, setDraft] = useState({ action, start, end });

  const audit = useQuery({
    queryKey: ["audit", action, start, end, cursors[page]],
    queryFn: () =>
      call(
        api.GET("/audit", {
          params: {
            query: {
              limit: AUDIT_PAGE_SIZE,
              ...(action ? { action } : {}),
              ...(start ? { start } : {}),
              ...(end ? { end } : {}),
              ...(cursors[page] ? { cursor: cursors[page] } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.action.trim()) next.set("action", draft.action.trim());
    if (draft.start) next.set("start", draft.start);
    if (draft.end) next.set("end", draft.end);
    setCursors([undefined]);
    setParams(next, { replace: true });
  };
  const clear = () => {
    setDraft({ action: "", start: "", end: "" });
    setCursors([undefined]);
    setParams(new URLSearchParams(), { replace: true });
  };
  const items = (audit.data?.items ?? []) as AuditItem[];
  const nextCursor = audit.data?.next_cursor ?? null;

  return (
    <>
      <PageTitle>{t("audit.title")}</PageTitle>
      <form className="card filters" onSubmit={apply} role="search" data-testid="audit-filters">
        <Field id="audit-action" label={t("audit.action")}>
          {(props) => (
            <>
              <input
                {...props}
                className="input mono"
                list="audit-actions"
                value={draft.action}
                placeholder={t("audit.anyAction")}
                onChange={(e) => setDraft({ ...draft, action: e.target.value })}
                data-testid="audit-action"
              />
              <datalist id="audit-actions">
                {KNOWN_ACTIONS.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="audit-start" label={t("audit.from")}>
          {(props) => <input {...props} className="input" type="date" value={draft.start} onChange={(e) => setDraft({ ...draft, start: e.target.value })} />}
        </Field>
        <Field id="audit-end" label={t("audit.to")}>
          {(props) => <input {...props} className="input" type="date" value={draft.end} onChange={(e) => setDraft({ ...draft, end: e.target.value })} />}
        </Field>
        <div className="actions">
          <button type="submit" className="button primary" data-testid="audit-apply">
            {t("audit.apply")}
          </button>
          <button type="button" className="button secondary" onClick={clear}>
            {t("audit.clear")}
          </button>
        </div>
      </form>
      {audit.isPending && <Skeleton lines={8} />}
      {audit.isError && <ErrorNotice error={audit.error} onRetry={() => void audit.refetch()} />}
      {audit.isSuccess && items.length === 0 && <EmptyState title={t("audit.empty")} />}
      {audit.isSuccess && items.length > 0 && (
        <DataTable
          label={t("audit.title")}
          columns={[t("audit.time"), t("audit.action"), t("audit.actor"), t("audit.resource"), t("audit.outcome")]}
          testId="audit-table"
          attrs={{ "data-page": page + 1, "aria-busy": audit.isFetching }}
        >
              {items.map((item, i) => {
                const principal = `audit.principal.${item.principal_type ?? ""}`;
                const outcome = `audit.outcome.${item.outcome ?? ""}`;
                return (
                  <tr key={item.event_id ?? i} data-action={item.action}>
                    <td data-label={t("audit.time")}>{formatDateTime(item.time, locale)}</td>
                    <td data-label={t("audit.action")} className="mono">
                      {item.action}
                    </td>
                    <td data-label={t("audit.actor")}>
                      {hasKey(principal) ? t(principal) : item.principal_type} <span className="mono">{(item.actor ?? "").slice(0, 8)}</span>
                      {item.source_ip && <span className="muted"> · {item.source_ip}</span>}
                    </td>
                    <td data-label={t("audit.resource")} className="mono wrap">
                      {item.resource}
                    </td>
                    <td data-label={t("audit.outcome")}>
                      <span className={`badge badge-${item.outcome === "success" ? "ok" : "bad"}`}>{hasKey(outcome) ? t(outcome) : item.outcome}</span>
                    </td>
                  </tr>
                );
              })}
            </DataTable>
      )}
      <nav className="pager" aria-label={t("audit.page", { page: page + 1 })}>
        <button type="button" className="button secondary" disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))} data-testid="audit-prev">
          {t("app.previous")}
        </button>
        <span data-testid="audit-page">{t("audit.page", { page: page + 1 })}</span>
        <button
          type="button"
          className="button secondary"
          disabled={!nextCursor || audit.isFetching}
          onClick={() => nextCursor && setCursors([...cursors, nextCursor])}
          data-testid="audit-next"
        >
          {t("app.next")}
        </button>
      </nav>
    </>
  );
}
