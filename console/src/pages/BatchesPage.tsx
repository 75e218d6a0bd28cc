// Batches: paste CNPJs or upload a CSV, see the invalid lines before sending, follow the progress (counts,
// throughput, ETA), download the results as CSV. The tenant's batch list, any batch's checks, the results CSV and
// the API's own ETA light up when their routes are in the contract (console/API_NEEDS.md 7).
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { api, call, session, untypedCall, API_BASE } from "../api/client";
import { FEATURES } from "../api/features";
import { ApiError } from "../api/errors";
import { BATCH_MAX_ITEMS } from "../api/operations.gen";
import { reportOf, ROLE_RANK, type Batch, type Check } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { ErrorNotice } from "../components/errors";
import { CheckStatusBadge, DataTable, EmptyState, Field, PageTitle, ProgressBar, Skeleton, useTitle } from "../components/ui";
import { hasKey, useI18n } from "../i18n";
import { parseCsv, parsePasted, saveCsv, toCsv, type ParsedList } from "../lib/csv";
import { formatCnpj } from "../lib/cnpj";
import { formatDateTime, formatDuration, formatNumber, shortId } from "../lib/format";
import { createdBatch, rememberBatch, useCreatedBatches } from "../hooks/batchStore";
import { fetchCheck } from "../hooks/checks";

export const MAX_BATCH = BATCH_MAX_ITEMS;

/** A batch as the API's list and status answers carry it, with the fields issue 12 adds when they are there. */
type BatchStatus = Batch & { throughput_per_min?: number | null; eta_seconds?: number | null };
interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

const pageQuery = (cursor: string | null, limit: number) =>
  new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) }).toString();

/** The tenant's batches, newest first (GET /checks/batch), when the API lists them. */
function ServerBatchList() {
  const { t, locale } = useI18n();
  const list = useInfiniteQuery({
    queryKey: ["batches"],
    queryFn: ({ pageParam }) => untypedCall<Page<BatchStatus>>("GET", `/checks/batch?${pageQuery(pageParam, 20)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  if (list.isPending) return <Skeleton lines={3} />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((page) => page.items);
  if (!items.length) return <EmptyState title={t("batches.listEmpty")} />;
  return (
    <>
      <DataTable label={t("batches.list")} columns={[t("batches.id"), t("batch.col.status"), "%"]} testId="batch-list">
        {items.map((batch) => {
          const done = (batch.counts.succeeded ?? 0) + (batch.counts.failed ?? 0);
          return (
            <tr key={batch.batch_id}>
              <td data-label={t("batches.id")}>
                <Link to={`/batches/${batch.batch_id}`} className="mono">
                  {shortId(batch.batch_id)}
                </Link>{" "}
                · {formatDateTime(batch.created_at, locale)}
              </td>
              <td data-label={t("batch.col.status")}>{batch.done ? t("batch.done") : t("batch.progress", { done, total: batch.accepted })}</td>
              <td data-label="%">{batch.accepted ? Math.round((100 * done) / batch.accepted) : 100}</td>
            </tr>
          );
        })}
      </DataTable>
      {list.hasNextPage && (
        <button type="button" className="button secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t("batches.more")}
        </button>
      )}
    </>
  );
}

export function BatchesPage() {
  const { t, locale } = useI18n();
  useTitle("batches.title");
  const user = useSessionUser();
  const canWrite = (ROLE_RANK[user?.role ?? ""] ?? 0) >= 2;
  const navigate = useNavigate();
  const batches = useCreatedBatches();
  const [text, setText] = useState("");
  const [fileList, setFileList] = useState<ParsedList | null>(null);
  const [fileName, setFileName] = useState("");
  const [openId, setOpenId] = useState("");
  const parsed = useMemo(() => fileList ?? parsePasted(text), [fileList, text]);
  const tooMany = parsed.valid.length > MAX_BATCH;

  const send = useMutation({
    mutationFn: () => call(api.POST("/checks/batch", { body: { cnpjs: parsed.valid } })),
    onSuccess: (batch) => {
      rememberBatch(batch);
      toast.success(t("batches.sent", { accepted: batch.accepted }));
      navigate(`/batches/${batch.batch_id}`);
    },
  });

  const onFile = async (file: File | undefined) => {
    if (!file) {
      setFileList(null);
      setFileName("");
      return;
    }
    setFileName(file.name);
    setFileList(parseCsv(await file.text()));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.valid.length === 0 || tooMany) return;
    send.mutate();
  };

  return (
    <>
      <PageTitle>{t("batches.title")}</PageTitle>
      {canWrite ? (
        <form className="card form-card" onSubmit={submit} noValidate data-testid="batch-form">
          <h2>{t("batches.new")}</h2>
          <Field id="batch-paste" label={t("batches.paste")}>
            {(props) => (
              <textarea
                {...props}
                className="input"
                rows={6}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setFileList(null);
                  setFileName("");
                }}
                spellCheck={false}
                data-testid="batch-paste"
              />
            )}
          </Field>
          <Field id="batch-file" label={t("batches.upload")} hint={t("batches.uploadHint")}>
            {(props) => (
              <input {...props} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} data-testid="batch-file" />
            )}
          </Field>
          {fileName && <p className="hint">{fileName}</p>}
          <p aria-live="polite" data-testid="batch-summary">
            {t("batches.summary", { valid: parsed.valid.length, invalid: parsed.invalid.length, duplicates: parsed.duplicates })}
          </p>
          {parsed.invalid.length > 0 && (
            <div className="notice notice-warn" data-testid="batch-invalid">
              <h3>{t("batches.invalidTitle")}</h3>
              <ul>
                {parsed.invalid.slice(0, 200).map((line, i) => (
                  <li key={i}>
                    {t("batches.line", { line: line.line })}: <span className="mono">{line.input}</span> — {t(`cnpj.${line.reason}`, { missing: "" })}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {tooMany && (
            <p className="field-error" role="alert">
              {t("batches.max", { max: MAX_BATCH })}
            </p>
          )}
          {send.isError && <ErrorNotice error={send.error} />}
          <button type="submit" className="button primary" disabled={send.isPending || parsed.valid.length === 0 || tooMany} data-testid="batch-submit">
            {parsed.valid.length === 0 ? t("batches.nothing") : t("batches.submit", { count: parsed.valid.length })}
          </button>
        </form>
      ) : (
        <p className="muted">{t("check.viewerOnly")}</p>
      )}

      {FEATURES.batchList && (
        <section className="card" aria-labelledby="batches-list">
          <h2 id="batches-list">{t("batches.list")}</h2>
          <ServerBatchList />
        </section>
      )}
      <section className="card">
        <h2>{t("batches.session")}</h2>
        {batches.length === 0 ? (
          <p className="muted">{t("batches.sessionEmpty")}</p>
        ) : (
          <ul>
            {batches.map((batch) => (
              <li key={batch.batch_id}>
                <Link to={`/batches/${batch.batch_id}`} className="mono">
                  {shortId(batch.batch_id)}
                </Link>{" "}
                · {formatDateTime(batch.created_at, locale)} · {batch.accepted}/{batch.submitted}
              </li>
            ))}
          </ul>
        )}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (openId.trim()) navigate(`/batches/${encodeURIComponent(openId.trim())}`);
          }}
        >
          <Field id="batch-open" label={t("batches.openById")}>
            {(props) => <input {...props} className="input mono" value={openId} onChange={(e) => setOpenId(e.target.value)} />}
          </Field>
          <button type="submit" className="button secondary">
            {t("batches.open")}
          </button>
        </form>
      </section>
    </>
  );
}

interface Sample {
  at: number;
  done: number;
}

/** The API's own throughput and ETA (issue 12), when its answer has them. */
export function serverEstimate(batch: { throughput_per_min?: number | null; eta_seconds?: number | null }) {
  if (typeof batch.eta_seconds !== "number" || typeof batch.throughput_per_min !== "number") return null;
  return { perMinute: batch.throughput_per_min, etaSeconds: batch.eta_seconds };
}

/** Finished checks per minute and seconds left, from the progress seen so far (the API has no ETA yet). */
export function estimate(samples: Sample[], total: number): { perMinute: number | null; etaSeconds: number | null } {
  if (samples.length < 2) return { perMinute: null, etaSeconds: null };
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const elapsed = (last.at - first.at) / 1000;
  const progressed = last.done - first.done;
  if (elapsed <= 0 || progressed <= 0) return { perMinute: null, etaSeconds: null };
  const perSecond = progressed / elapsed;
  return { perMinute: perSecond * 60, etaSeconds: (total - last.done) / perSecond };
}

export function BatchPage() {
  const { batchId = "" } = useParams();
  const { t, locale } = useI18n();
  useTitle(t("batch.title", { id: shortId(batchId) }));
  const samples = useRef<Sample[]>([]);
  const batch = useQuery({
    queryKey: ["batch", batchId],
    queryFn: () => call(api.GET("/checks/batch/{batch_id}", { params: { path: { batch_id: batchId } } })),
    refetchInterval: (q) => (q.state.data?.done ? false : 1500),
    refetchIntervalInBackground: true,
  });
  const known = createdBatch(batchId);
  const data = batch.data;
  const counts = data?.counts ?? { queued: 0, running: 0, succeeded: 0, failed: 0 };
  const total = data?.accepted ?? 0;
  const done = (counts.succeeded ?? 0) + (counts.failed ?? 0);
  useEffect(() => {
    if (!data) return;
    const list = samples.current;
    if (!list.length || list[list.length - 1]!.done !== done) list.push({ at: Date.now(), done });
    if (list.length > 30) list.shift();
  }, [data, done]);
  useEffect(() => {
    if (data?.done) toast.success(t("batch.done"));
  }, [data?.done]); // eslint-disable-line react-hooks/exhaustive-deps

  if (batch.isPending) return <Skeleton lines={5} />;
  if (batch.isError && !batch.data) return <ErrorNotice error={batch.error} onRetry={() => void batch.refetch()} />;
  const b: BatchStatus = batch.data;
  const eta = serverEstimate(b) ?? estimate(samples.current, total);
  const invalid = b.invalid ?? known?.invalid ?? [];
  const rejected = b.rejected ?? known?.rejected ?? [];
  return (
    <>
      <PageTitle>{t("batch.title", { id: shortId(batchId) })}</PageTitle>
      <section className="card" aria-labelledby="batch-progress" data-testid="batch-progress" data-done={String(b.done)}>
        <h2 id="batch-progress">{t("batch.progress", { done, total })}</h2>
        <ProgressBar value={done} max={total} label={t("batch.progress", { done, total })} />
        <p aria-live="polite" data-testid="batch-counts">
          {t("batch.counts", {
            queued: counts.queued ?? 0,
            running: counts.running ?? 0,
            succeeded: counts.succeeded ?? 0,
            failed: counts.failed ?? 0,
          })}
        </p>
        {!b.done && eta.etaSeconds !== null && (
          <p data-testid="batch-eta">
            {t("batch.eta", { eta: formatDuration(eta.etaSeconds) })} ·{" "}
            {t("batch.throughput", { rate: formatNumber(Math.round(eta.perMinute ?? 0), locale) })}
          </p>
        )}
        {b.done && <p className="notice notice-info">{t("batch.done")}</p>}
      </section>
      {rejected.length > 0 && <p className="notice notice-warn">{t("batch.rejected", { count: rejected.length })}</p>}
      {invalid.length > 0 && (
        <section className="card">
          <h2>{t("batch.invalidServer")}</h2>
          <ul>
            {invalid.map((p) => {
              const key = `cnpj.${p.reason}`;
              return (
                <li key={p.index}>
                  {t("batches.line", { line: p.index + 1 })}: <span className="mono">{p.input}</span> — {hasKey(key) ? t(key, { missing: "" }) : p.message}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section className="card">
        <h2>{t("batch.results")}</h2>
        {FEATURES.batchChecks ? (
          <ServerResults batchId={batchId} done={b.done} />
        ) : known?.checks?.length ? (
          <Results checks={known.checks} />
        ) : (
          <EmptyState title={t("app.notAvailable")}>{t("batch.noCheckList")}</EmptyState>
        )}
      </section>
    </>
  );
}

/** GET /checks/batch/{id}/results as text/csv (the API's own file), with the session's bearer token. */
async function downloadServerCsv(batchId: string) {
  const response = await session.fetch(
    new Request(new URL(`${API_BASE}/checks/batch/${encodeURIComponent(batchId)}/results`, location.origin), {
      headers: { Accept: "text/csv" },
    }),
  );
  if (!response.ok) throw ApiError.fromBody(response, await response.json().catch(() => undefined));
  saveCsv(await response.blob(), `batch-${shortId(batchId)}.csv`);
}

const checksPath = (batchId: string, cursor: string | null) =>
  `/checks/batch/${encodeURIComponent(batchId)}/checks?${pageQuery(cursor, 100)}`;

/** Any batch's checks from the API (GET /checks/batch/{id}/checks), paged, with a CSV of them all. */
function ServerResults({ batchId, done }: { batchId: string; done: boolean }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const checks = useInfiniteQuery({
    queryKey: ["batch-checks", batchId],
    queryFn: ({ pageParam }) => untypedCall<Page<Check>>("GET", checksPath(batchId, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    refetchInterval: done ? false : 5000,
  });
  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      if (FEATURES.batchResultsCsv) {
        await downloadServerCsv(batchId);
      } else {
        const rows: unknown[][] = [];
        for (let cursor: string | null = null, first = true; first || cursor; first = false) {
          const page: Page<Check> = await untypedCall<Page<Check>>("GET", checksPath(batchId, cursor));
          rows.push(...page.items.map((check) => resultRow(check.cnpj, check, null)));
          cursor = page.next_cursor ?? null;
        }
        saveCsv(toCsv(RESULT_HEADER, rows), `batch-${shortId(batchId)}.csv`);
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  if (checks.isPending) return <Skeleton lines={4} />;
  if (checks.isError) return <ErrorNotice error={checks.error} onRetry={() => void checks.refetch()} />;
  const items = checks.data.pages.flatMap((page) => page.items);
  return (
    <>
      <button type="button" className="button secondary" onClick={() => void download()} disabled={busy} data-testid="batch-download">
        {t("batch.downloadServer")}
      </button>
      {failure !== null && <ErrorNotice error={failure} />}
      <DataTable label={t("batch.results")} columns={["CNPJ", t("batch.col.status"), t("batch.col.company"), t("batch.col.check")]} testId="batch-results">
        {items.map((check) => (
          <tr key={check.id}>
            <td className="mono" data-label="CNPJ">
              {check.cnpj_formatted}
            </td>
            <td data-label={t("batch.col.status")}>
              <CheckStatusBadge status={check.status} />
            </td>
            <td data-label={t("batch.col.company")}>{reportOf(check)?.legal_name ?? ""}</td>
            <td data-label={t("batch.col.check")}>
              <Link to={`/checks/${check.id}`}>{shortId(check.id)}</Link>
            </td>
          </tr>
        ))}
      </DataTable>
      {checks.hasNextPage && (
        <button type="button" className="button secondary" onClick={() => void checks.fetchNextPage()} disabled={checks.isFetchingNextPage}>
          {t("batch.moreResults")}
        </button>
      )}
    </>
  );
}

const RESULT_HEADER = ["cnpj", "status", "legal_name", "registration_status", "source", "failure_reason", "check_id"];

function resultRow(cnpj: string, check: Check | null, error: unknown): unknown[] {
  if (!check) return [formatCnpj(cnpj), "unknown", "", "", "", error instanceof ApiError ? error.code : String(error), ""];
  const report = reportOf(check);
  return [check.cnpj_formatted, check.status, report?.legal_name ?? "", report?.status ?? "", check.source ?? "", check.failure_reason ?? "", check.id];
}

function Results({ checks }: { checks: NonNullable<Batch["checks"]> }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const download = async () => {
    setProgress(0);
    const rows: unknown[][] = [];
    let finished = 0;
    const queue = [...checks];
    // Two at a time, within the free plan's rate; a 429 waits its Retry-After and tries again.
    const worker = async () => {
      for (let ref = queue.shift(); ref; ref = queue.shift()) {
        let check: Check | null = null;
        let failure: unknown = null;
        for (let attempt = 0; attempt < 5 && !check; attempt++) {
          try {
            check = await fetchCheck(ref.check_id);
          } catch (error) {
            failure = error;
            if (!(error instanceof ApiError) || error.status !== 429) break;
            await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 1) * 1000));
          }
        }
        rows.push(resultRow(ref.cnpj, check, failure));
        finished++;
        setProgress(finished);
      }
    };
    await Promise.all([worker(), worker()]);
    saveCsv(toCsv(RESULT_HEADER, rows), "batch-results.csv");
    setProgress(null);
  };
  return (
    <>
      <button type="button" className="button secondary" onClick={() => void download()} disabled={progress !== null} data-testid="batch-download">
        {t("batch.downloadCsv")}
      </button>
      {progress !== null && <p aria-live="polite">{t("batch.downloading", { done: progress, total: checks.length })}</p>}
      <DataTable label={t("batch.results")} columns={["CNPJ", t("batch.col.check")]}>
            {checks.slice(0, 100).map((ref) => (
              <tr key={ref.check_id}>
                <td className="mono" data-label="CNPJ">
                  {formatCnpj(ref.cnpj)}
                </td>
                <td data-label={t("batch.col.check")}>
                  <Link to={`/checks/${ref.check_id}`}>{shortId(ref.check_id)}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
    </>
  );
}
