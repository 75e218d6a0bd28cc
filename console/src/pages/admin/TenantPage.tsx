// The organization and its deletion, behind a typed confirmation (its exact name). DELETE /tenant answers 202
// with a deletion job; every credential of the tenant stops at once except the deleting admin's GET
// /tenant/deletion, which the page polls to show the purge's progress until the job has succeeded.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, call, session } from "../../api/client";
import type { components } from "../../api/schema.gen";
import { ErrorNotice } from "../../components/errors";
import { Facts, Field, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n, type MessageKey } from "../../i18n";
import { formatDateTime } from "../../lib/format";

type DeletionJob = components["schemas"]["DeletionJobView"];

const POLL_MS = 2000;
const STATUS: Record<string, MessageKey> = {
  queued: "tenant.deletionStatus.queued",
  running: "tenant.deletionStatus.running",
  succeeded: "tenant.deletionStatus.succeeded",
};

/** Polls the job until it has succeeded (or can no longer be read: the admin's token expired). */
async function followDeletion(first: DeletionJob, onJob: (job: DeletionJob) => void): Promise<void> {
  let job: DeletionJob | null = first;
  while (job && job.status !== "succeeded") {
    onJob(job);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await call(api.GET("/tenant/deletion")).catch(() => null);
  }
  if (job) onJob(job);
}

export default function TenantPage() {
  const { t, locale } = useI18n();
  useTitle("tenant.title");
  const tenant = useQuery({ queryKey: ["tenant"], queryFn: () => call(api.GET("/tenant")) });
  const [typed, setTyped] = useState("");
  const [job, setJob] = useState<DeletionJob | null>(null);
  const statusText = (status: string) => {
    const key = STATUS[status];
    return key ? t(key) : status;
  };
  const remove = useMutation({
    mutationFn: async () => {
      const started = await call(api.DELETE("/tenant"));
      await followDeletion(started, setJob);
    },
    onSuccess: () => session.end("tenant_deleted"),
  });

  if (tenant.isPending) return <Skeleton lines={4} />;
  if (tenant.isError) return <ErrorNotice error={tenant.error} onRetry={() => void tenant.refetch()} />;
  const name = tenant.data.name;
  const matches = typed.trim() === name.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (matches) remove.mutate();
  };
  return (
    <>
      <PageTitle>{t("tenant.title")}</PageTitle>
      <section className="card">
        <h2 data-testid="tenant-name">{name}</h2>
        <Facts
          items={[
            [t("tenant.id"), <span className="mono">{tenant.data.tenant_id}</span>],
            [t("tenant.created"), formatDateTime(tenant.data.created_at, locale)],
          ]}
        />
      </section>
      <form className="card danger-zone" onSubmit={submit} noValidate data-testid="delete-tenant-form">
        <h2>{t("tenant.danger")}</h2>
        <p>{t("tenant.dangerBody")}</p>
        <Field id="tenant-confirm" label={t("tenant.typeToConfirm", { name })}>
          {(props) => <input {...props} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="tenant-confirm" />}
        </Field>
        {remove.isError && <ErrorNotice error={remove.error} />}
        {job && (
          <div aria-live="polite" data-testid="tenant-deletion-progress">
            <p>{t("tenant.deletionProgress", { state: statusText(job.status) })}</p>
            <p>{t("tenant.deletionRemoved", { count: String(job.items_removed_total) })}</p>
          </div>
        )}
        <button type="submit" className="button danger" disabled={!matches || remove.isPending} data-testid="tenant-delete">
          {remove.isPending ? t("tenant.deleting") : t("tenant.delete")}
        </button>
      </form>
    </>
  );
}
