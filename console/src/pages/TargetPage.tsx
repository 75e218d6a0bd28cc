// One company: its newest report in sections, the check controls (sync, background, skip the cache), the
// progress of a queued check, connector failures in words with a retry, and the history as a timeline of diffs.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { attemptsOf, diffOf, isFinal, reportOf, ROLE_RANK, type Check } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { CheckProgress } from "../components/CheckProgress";
import { DiffView } from "../components/DiffView";
import { ErrorNotice, ProviderErrors, providerName } from "../components/errors";
import { ReportView } from "../components/ReportView";
import { LabelAndTagsFields, parseTags } from "../components/TargetFields";
import { CheckStatusBadge, ConfirmDialog, EmptyState, PageTitle, Skeleton, useTitle } from "../components/ui";
import { hasKey, useI18n, type MessageKey } from "../i18n";
import { formatDateTime, shortId } from "../lib/format";
import { useCheckPolling, useRunCheck } from "../hooks/checks";

export function failureText(check: Check, t: ReturnType<typeof useI18n>["t"]): string {
  const key = `check.failure.${check.failure_reason ?? ""}`;
  return hasKey(key) ? t(key) : t("check.failure.other", { reason: check.failure_reason ?? "?" });
}

export function TargetPage() {
  const { targetId = "" } = useParams();
  const { t, locale } = useI18n();
  const user = useSessionUser();
  const canWrite = (ROLE_RANK[user?.role ?? ""] ?? 0) >= 2;
  const queryClient = useQueryClient();

  const target = useQuery({
    queryKey: ["target", targetId],
    queryFn: () => call(api.GET("/targets/{target_id}", { params: { path: { target_id: targetId } } })),
  });
  useTitle(target.data?.label || target.data?.cnpj_formatted || "targets.title");
  const history = useInfiniteQuery({
    queryKey: ["history", targetId],
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/targets/{target_id}/checks", {
          params: { path: { target_id: targetId }, query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: target.isSuccess,
  });
  const checks = useMemo(() => history.data?.pages.flatMap((p) => p.items) ?? [], [history.data]);
  const latestSuccess = checks.find((c) => c.status === "succeeded" && c.report);
  const { mutation, pendingId } = useRunCheck(targetId);
  const [refresh, setRefresh] = useState(false);
  // The check this page queued, else one queued earlier (another tab, a batch) that is not final yet.
  const unfinished = checks.find((c) => !isFinal(c));
  const polled = useCheckPolling(pendingId ?? unfinished?.id ?? null);
  const following = polled.data;

  useEffect(() => {
    if (polled.data && isFinal(polled.data)) {
      if (polled.data.status === "succeeded") toast.success(t("check.doneToast"));
      else toast.error(t("check.failedToast"));
      void queryClient.invalidateQueries({ queryKey: ["history", targetId] });
    }
  }, [polled.data?.status, polled.data?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (mutation.data?.status === 202) toast.info(t("check.queuedToast"));
    else if (mutation.data && mutation.data.check.status === "succeeded") toast.success(t("check.doneToast"));
  }, [mutation.data]); // eslint-disable-line react-hooks/exhaustive-deps

  if (target.isPending) return <Skeleton lines={8} />;
  if (target.isError) {
    const notFound = target.error instanceof ApiError && target.error.status === 404;
    return notFound ? (
      <EmptyState title={t("target.notFound")} action={<Link to="/targets">{t("notFound.home")}</Link>} />
    ) : (
      <ErrorNotice error={target.error} onRetry={() => void target.refetch()} />
    );
  }

  const run = (async: boolean) => mutation.mutate({ async, refresh });
  const running = mutation.isPending || (!!following && !isFinal(following));
  const syncFailed = mutation.data && !pendingId && mutation.data.check.status === "failed" ? mutation.data.check : null;
  const failedNow = mutation.isPending ? null : polled.data?.status === "failed" ? polled.data : syncFailed;

  return (
    <>
      <PageTitle>
        {target.data.label || target.data.cnpj_formatted}
        <span className="subtitle mono">{target.data.cnpj_formatted}</span>
      </PageTitle>
      {(target.data.tags ?? []).length > 0 && (
        <p>
          {(target.data.tags ?? []).map((name) => (
            <span key={name} className="tag">
              {name}
            </span>
          ))}
        </p>
      )}

      <section className="card check-controls" aria-label={t("check.run")}>
        {canWrite ? (
          <>
            <div className="actions">
              <button type="button" className="button primary" onClick={() => run(false)} disabled={running} data-testid="run-check">
                {mutation.isPending && !mutation.variables?.async ? t("check.running") : t("check.run")}
              </button>
              <button type="button" className="button secondary" onClick={() => run(true)} disabled={running} data-testid="run-check-async">
                {t("check.runAsync")}
              </button>
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={refresh} onChange={(e) => setRefresh(e.target.checked)} data-testid="refresh" />
              {t("check.refresh")}
            </label>
          </>
        ) : (
          <p className="muted">{t("check.viewerOnly")}</p>
        )}
      </section>

      {mutation.isError &&
        (mutation.error instanceof ApiError && mutation.error.kind === "providers" ? (
          <ProviderErrors
            attempts={attemptsFromDetails(mutation.error)}
            retryAfterSeconds={mutation.error.retryAfterSeconds}
            onRetry={() => mutation.mutate(mutation.variables ?? { async: false, refresh })}
            busy={mutation.isPending}
          />
        ) : (
          <ErrorNotice error={mutation.error} onRetry={mutation.error instanceof ApiError && mutation.error.kind === "upgrade" ? undefined : () => run(false)} />
        ))}
      {following && <CheckProgress check={following} />}
      {failedNow && (
        <ProviderErrors
          title={failureText(failedNow, t)}
          attempts={attemptsOf(failedNow)}
          onRetry={() => mutation.mutate({ async: failedNow.mode === "async", refresh })}
          busy={mutation.isPending}
        />
      )}

      <h2 className="section-title">{t("report.title")}</h2>
      {history.isPending ? (
        <Skeleton lines={10} />
      ) : history.isError ? (
        <ErrorNotice error={history.error} onRetry={() => void history.refetch()} />
      ) : latestSuccess && reportOf(latestSuccess) ? (
        <ReportView report={reportOf(latestSuccess)!} check={latestSuccess} />
      ) : (
        <EmptyState title={t("report.none")}>{t("report.noneBody")}</EmptyState>
      )}

      <section aria-labelledby="history-title" className="history">
        <h2 id="history-title" className="section-title">
          {t("history.title")}
        </h2>
        {history.isSuccess && checks.length === 0 && <p className="muted">{t("history.empty")}</p>}
        <ol className="timeline" data-testid="timeline">
          {checks.map((check) => (
            <li key={check.id} className={`timeline-item status-${check.status}`} data-check-id={check.id}>
              <div className="timeline-head">
                <time dateTime={check.created_at}>{formatDateTime(check.created_at, locale)}</time>
                <CheckStatusBadge status={check.status} />
                <span className="muted">
                  {hasKey(`check.mode.${check.mode}`) ? t(`check.mode.${check.mode}` as MessageKey) : check.mode}
                  {check.source ? ` · ${providerName(check.source, t("providers.unknown"))}` : ""}
                  {check.cached ? ` · ${t("report.cached").split(" (")[0]}` : ""}
                </span>
                <Link to={`/checks/${check.id}`} className="small-link">
                  {shortId(check.id)}
                </Link>
              </div>
              {check.status === "succeeded" && <DiffView diff={diffOf(check)} />}
              {check.status === "failed" && <p className="field-error">{failureText(check, t)}</p>}
            </li>
          ))}
        </ol>
        {history.hasNextPage && (
          <button type="button" className="button secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            {t("app.loadMore")}
          </button>
        )}
      </section>

      {canWrite && <TargetSettings targetId={targetId} label={target.data.label ?? ""} tags={target.data.tags ?? []} name={target.data.label || target.data.cnpj_formatted} />}
    </>
  );
}

function attemptsFromDetails(error: ApiError) {
  const details = (error.details ?? {}) as { errors?: unknown };
  return Array.isArray(details.errors) ? (details.errors as never[]) : [];
}

function TargetSettings({ targetId, label, tags, name }: { targetId: string; label: string; tags: string[]; name: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [newLabel, setNewLabel] = useState(label);
  const [newTags, setNewTags] = useState(tags.join(", "));
  const [confirming, setConfirming] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PATCH("/targets/{target_id}", {
          params: { path: { target_id: targetId } },
          body: {
            label: newLabel.trim() || null,
            tags: parseTags(newTags),
          },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(["target", targetId], updated);
      void queryClient.invalidateQueries({ queryKey: ["targets"] });
      toast.success(t("target.saved"));
    },
  });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE("/targets/{target_id}", { params: { path: { target_id: targetId } } })),
    onSuccess: async () => {
      toast.success(t("target.deleted"));
      await queryClient.invalidateQueries({ queryKey: ["targets"] });
      navigate("/targets");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <details className="card settings">
      <summary>{t("target.edit")}</summary>
      <form onSubmit={submit} noValidate>
        <LabelAndTagsFields idPrefix="edit" label={newLabel} tags={newTags} onLabel={setNewLabel} onTags={setNewTags} error={error} />
        {error && !error.fieldProblems.length && <ErrorNotice error={error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {t("app.save")}
          </button>
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            {t("target.delete")}
          </button>
        </div>
      </form>
      {remove.isError && <ErrorNotice error={remove.error} />}
      <ConfirmDialog
        open={confirming}
        title={t("target.delete")}
        body={t("target.deleteConfirm", { name })}
        confirmLabel={t("target.delete")}
        danger
        busy={remove.isPending}
        onConfirm={() => {
          setConfirming(false);
          remove.mutate();
        }}
        onClose={() => setConfirming(false)}
      />
    </details>
  );
}
