// Batches: paste CNPJs or upload a CSV, see the invalid lines before sending, follow the progress (counts,
// throughput, ETA), download the results as CSV.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { BATCH_MAX_ITEMS } from "../api/operations.gen";
import { reportOf, ROLE_RANK, type Batch, type Check } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { ErrorNotice } from "../components/errors";
import { DataTable, EmptyState, Field, PageTitle, ProgressBar, Skeleton, useTitle } from "../components/ui";
import { hasKey, useI18n } from "../i18n";
import { parseCsv, parsePasted, toCsv, type ParsedList } from "../lib/csv";
import { formatCnpj } from "../lib/cnpj";
import { formatDateTime, formatDuration, formatNumber, shortId } from "../lib/format";
import { createdBatch, rememberBatch, useCreatedBatches } from "../hooks/batchStore";
import { fetchCheck } from "../hooks/checks";

export const MAX_BATCH = BATCH_MAX_ITEMS;

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
  const b = batch.data;
  const eta = estimate(samples.current, total);
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
        {known?.checks?.length ? <Results checks={known.checks} /> : <EmptyState title={t("app.notAvailable")}>{t("batch.noCheckList")}</EmptyState>}
      </section>
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
    const blob = new Blob([toCsv(RESULT_HEADER, rows)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = "batch-results.csv";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
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
